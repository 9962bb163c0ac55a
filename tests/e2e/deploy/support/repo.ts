// The repository facts deploy/ must agree with: package.json's scripts, the
// layout of the compiled build, and the environment variables Baton's
// configuration schemas declare.
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

const BUILD_CONFIG = 'tsconfig.build.json';

/** tsconfig.build.json's rootDir and outDir: `npm run build` compiles rootDir/x.ts to outDir/x.js. */
export function buildLayout(): { rootDir: string; outDir: string } {
  // A tsconfig file may hold comments; this one has them on lines of their own.
  const text = readText(BUILD_CONFIG)
    .split('\n')
    .filter((line) => !line.trim().startsWith('//'))
    .join('\n');
  const { compilerOptions } = JSON.parse(text) as { compilerOptions: { rootDir: string; outDir: string } };
  return { rootDir: compilerOptions.rootDir, outDir: compilerOptions.outDir };
}

/** The source a compiled file is built from: dist/auth/token-cli.js ← src/auth/token-cli.ts. */
export function sourceOf(compiled: string): string {
  const { rootDir, outDir } = buildLayout();
  if (!compiled.startsWith(`${outDir}/`) || !compiled.endsWith('.js')) throw new Error(`${compiled} is not a file ${BUILD_CONFIG} emits into ${outDir}/`);
  return `${rootDir}/${compiled.slice(outDir.length + 1, -'.js'.length)}.ts`;
}

/**
 * The node command an image or manifest must run for an npm script of the form
 * `tsc -b tsconfig.build.json --noCheck && node <outDir>/<file>.js` (compile what
 * changed, optionally build the dashboard, then run the compiled program): `node <outDir>/<file>.js`, the same
 * program without npm (which does not forward SIGTERM) and without the build step
 * (the image is built already).
 */
export function nodeCommandFor(script: string): string[] {
  const command = packageScripts()[script];
  const match = command && /^tsc -b (\S+) --noCheck && (?:npm run --silent build:dashboard && )?node (\S+\.js)$/.exec(command);
  if (!match || match[1] !== BUILD_CONFIG) throw new Error(`npm script "${script}" is not "tsc -b ${BUILD_CONFIG} --noCheck && node <file>.js": ${command}`);
  sourceOf(match[2]!); // throws unless the build emits it
  return ['node', match[2]!];
}

/**
 * Environment variables declared by Baton's zod configuration schemas, found in
 * the source (`NAME: z...`, or `NAME: schema` where the file declares `const schema = z...`,
 * as `optionalUrl` and `roles` in src/config.ts), by file: src/config.ts for the API
 * and what it shares with the sidecar, the sidecar's own schema elsewhere under src/.
 */
export function declaredEnvironment(): { api: Set<string>; all: Set<string> } {
  const api = new Set<string>();
  const all = new Set<string>();
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    if (file.includes(`${join('db', 'generated')}`)) continue;
    const text = readFileSync(file, 'utf8');
    const schemas = ['z', ...[...text.matchAll(/^const (\w+) = z\b/gm)].map((match) => match[1]!)];
    const pattern = new RegExp(`^\\s+([A-Z][A-Z0-9_]*):\\s*(?:${schemas.join('|')})\\b`, 'gm');
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
