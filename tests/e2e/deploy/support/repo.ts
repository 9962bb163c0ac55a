// The repository facts deploy/ must agree with: package.json's scripts and the
// environment variables Baton's configuration schemas declare.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(import.meta.dirname, '..', '..', '..', '..');
export const DEPLOY = join(ROOT, 'deploy');

export function readText(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

export function readYaml<T = Record<string, unknown>>(path: string): T {
  // merge: compose files use YAML merge keys (<<: *anchor).
  return parse(readText(path), { merge: true }) as T;
}

export function packageScripts(): Record<string, string> {
  return (JSON.parse(readText('package.json')) as { scripts: Record<string, string> }).scripts;
}

/**
 * The node command an image or manifest must run for an npm script of the form
 * `tsx <file>`: `node --import tsx <file>`, the same program without npm (which
 * does not forward SIGTERM) and without tsx's CLI wrapper process.
 */
export function nodeCommandFor(script: string): string[] {
  const command = packageScripts()[script];
  const match = command && /^tsx (\S+\.ts)$/.exec(command);
  if (!match) throw new Error(`npm script "${script}" is not "tsx <file>.ts": ${command}`);
  return ['node', '--import', 'tsx', match[1]!];
}

/**
 * Environment variables declared by Baton's zod configuration schemas, found in
 * the source (`NAME: z...` or `NAME: optionalUrl`), by file: src/config.ts for the
 * API and what it shares with the sidecar, the sidecar's own schema elsewhere under src/.
 */
export function declaredEnvironment(): { api: Set<string>; all: Set<string> } {
  const api = new Set<string>();
  const all = new Set<string>();
  const pattern = /^\s+([A-Z][A-Z0-9_]*):\s*(?:z\b|optionalUrl\b)/gm;
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    if (file.includes(`${join('db', 'generated')}`)) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(pattern)) {
      all.add(match[1]!);
      if (relative(ROOT, file) === join('src', 'config.ts')) api.add(match[1]!);
    }
  }
  return { api, all };
}

/** Variables Node itself reads, which the manifests may set on any container. */
export const NODE_ENVIRONMENT = new Set(['NODE_ENV', 'NODE_OPTIONS', 'NODE_EXTRA_CA_CERTS']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
