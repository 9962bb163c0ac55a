// deploy/Dockerfile, parsed with dockerfile-ast: the structure the deployment
// relies on (stages, non-root user, healthcheck, ports, node as PID 1), the
// files and scripts it uses, a few hadolint rules (no hadolint here), and the
// build context's .dockerignore. Then the image's commands run here, without
// Docker: its CMD with its ENV serves /health, its HEALTHCHECK command says so,
// and SIGTERM stops it cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { ROOT, nodeCommandFor, packageScripts, readText } from './support/repo.js';

const dockerfile = DockerfileParser.parse(readText('deploy/Dockerfile'));
const instructions = dockerfile.getInstructions();
const froms = dockerfile.getFROMs();
const finalStageLine = froms.at(-1)!.getRange().start.line;
const finalStage = instructions.filter((instruction) => instruction.getRange().start.line >= finalStageLine);
const keyword = (instruction: Instruction) => instruction.getKeyword();
const argumentsOf = (instruction: Instruction) => instruction.getArguments().map((argument) => argument.getValue());

/** An exec-form instruction's JSON array (CMD, or HEALTHCHECK's text after CMD). */
function execForm(instruction: Instruction): string[] {
  const content = instruction.getArgumentsContent() ?? '';
  return JSON.parse(content.slice(content.indexOf('['))) as string[];
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return path.endsWith(join('db', 'generated')) ? [] : typeScriptFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * What src/ loads at run time: package names, and the absolute paths of relative
 * imports. Type-only imports are left out: tsx erases them.
 */
function runtimeImports(): Set<string> {
  const found = new Set<string>();
  for (const file of typeScriptFiles(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...[...text.matchAll(/^(?:import|export)\s+(type\s+)?[^'";]*?from\s+'([^']+)'/gm)].filter((m) => !m[1]).map((m) => m[2]!),
      ...[...text.matchAll(/^import\s+'([^']+)'/gm)].map((m) => m[1]!),
      ...[...text.matchAll(/\bimport\('([^']+)'\)/g)].map((m) => m[1]!),
    ];
    for (const specifier of specifiers) {
      if (specifier.startsWith('node:')) continue;
      if (specifier.startsWith('.')) found.add(join(file, '..', specifier));
      else found.add(specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!);
    }
  }
  return found;
}

/** ENV of the final stage, as the container starts with it. */
function imageEnvironment(): Record<string, string> {
  return Object.fromEntries(
    finalStage.filter((instruction) => keyword(instruction) === 'ENV').flatMap((instruction) => argumentsOf(instruction).map((pair) => pair.split('=', 2) as [string, string])),
  );
}

/** .dockerignore patterns (Go filepath.Match plus **), as a predicate on context paths. */
function dockerignore(): (path: string) => boolean {
  const patterns = readText('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  if (patterns.some((pattern) => pattern.startsWith('!'))) throw new Error('exceptions (!) are outside this matcher');
  const regexes = patterns.map((pattern) => {
    const source = pattern
      .replace(/^\//, '')
      .split('/')
      .map((part) => (part === '**' ? '.*' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '[^/]*').replaceAll('?', '[^/]')))
      .join('/')
      .replaceAll('.*/', '(?:.*/)?');
    // A pattern that matches a directory excludes everything under it.
    return new RegExp(`^${source}(?:/.*)?$`);
  });
  return (path) => regexes.some((regex) => regex.test(path));
}

describe('deploy/Dockerfile', () => {
  it('builds in stages and runs from a slim Node 20 image', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      expect(from.getImageName()).toBe('node');
      // hadolint DL3006/DL3007: a pinned tag, not latest.
      expect(from.getImageTag()).toMatch(/^20(\.\d+)*-(bookworm-slim|alpine)$/);
      expect(from.getBuildStage()).toBeTruthy();
    }
  });

  it('runs as a non-root user given by number (Kubernetes can then verify runAsNonRoot)', () => {
    const users = finalStage.filter((instruction) => keyword(instruction) === 'USER').map((instruction) => argumentsOf(instruction)[0]!);
    const user = users.at(-1);
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(user!.split(':')[0]).not.toBe('0');
    expect(user!.split(':')[0]).toBe('1000'); // the runAsUser of deploy/k8s
  });

  it('starts node itself (not npm) on the program of npm start, which exists', () => {
    const cmd = dockerfile.getCMDs().at(-1)!;
    expect(execForm(cmd)).toEqual(nodeCommandFor('start'));
    expect(existsSync(join(ROOT, execForm(cmd).at(-1)!))).toBe(true);
    expect(instructions.some((instruction) => keyword(instruction) === 'ENTRYPOINT')).toBe(false);
    const commands = finalStage.filter((instruction) => ['CMD', 'ENTRYPOINT'].includes(keyword(instruction)));
    for (const command of commands) expect(command.getArgumentsContent()).not.toMatch(/\bnpm\b/);
  });

  it('checks /health with node’s fetch (slim images have no curl)', () => {
    const healthchecks = dockerfile.getHEALTHCHECKs();
    expect(healthchecks).toHaveLength(1);
    const [node, flag, script] = execForm(healthchecks[0]!);
    expect([node, flag]).toEqual(['node', '-e']);
    expect(script).toContain('fetch(');
    expect(script).toContain("'/health'");
    expect(Object.fromEntries(healthchecks[0]!.getFlags().map((f) => [f.getName(), f.getValue()]))).toMatchObject({ interval: expect.any(String), timeout: expect.any(String) });
  });

  it('exposes the API port 8080 and the adapter port 8766, which the ENV sets', () => {
    const exposed = finalStage.filter((instruction) => keyword(instruction) === 'EXPOSE').flatMap(argumentsOf);
    expect(exposed.sort()).toEqual(['8080', '8766']);
    expect(imageEnvironment()).toMatchObject({ PORT: '8080', SIDECAR_PORT: '8766', NODE_ENV: 'production' });
  });

  it('copies only files that exist and that .dockerignore lets into the context', () => {
    const ignored = dockerignore();
    for (const copy of dockerfile.getCOPYs()) {
      if (copy.getFromFlag()) continue;
      const sources = argumentsOf(copy).slice(0, -1);
      for (const source of sources) {
        expect(existsSync(join(ROOT, source)), source).toBe(true);
        expect(ignored(source), `${source} is excluded by .dockerignore`).toBe(false);
      }
    }
    // hadolint DL3020: COPY, not ADD.
    expect(instructions.some((instruction) => keyword(instruction) === 'ADD')).toBe(false);
  });

  it('copies from earlier stages only what they produce: node_modules and the Prisma client the schema generates', () => {
    const stages = froms.map((from) => from.getBuildStage());
    const generated = [...readText('prisma/schema.prisma').matchAll(/^\s*output\s*=\s*"\.\.\/([^"]+)"/gm)].map((match) => match[1]!);
    expect(generated).toContain('src/db/generated/prisma');
    for (const copy of dockerfile.getCOPYs()) {
      const from = copy.getFromFlag()?.getValue();
      if (!from) continue;
      expect(stages.indexOf(from)).toBeGreaterThanOrEqual(0);
      expect(stages.indexOf(from)).toBeLessThan(stages.length - 1);
      const [source] = argumentsOf(copy);
      expect(['/app/node_modules', ...generated.map((path) => `/app/${path.split('/').slice(0, -1).join('/')}`)]).toContain(source);
    }
  });

  it('installs with npm ci and generates the Prisma client without network', () => {
    const scripts = packageScripts();
    const deps = instructions.filter((instruction) => instruction.getRange().start.line < finalStageLine);
    const runs = instructions.filter((instruction) => keyword(instruction) === 'RUN').map((instruction) => instruction.getArgumentsContent() ?? '');
    for (const run of runs) {
      for (const [, script] of run.matchAll(/npm run (\S+)/g)) expect(Object.keys(scripts)).toContain(script);
    }
    const install = deps.findIndex((instruction) => keyword(instruction) === 'RUN' && /\bnpm ci\b/.test(instruction.getArgumentsContent() ?? ''));
    expect(install).toBeGreaterThan(0);
    // npm ci runs the postinstall script, which needs these: they must be copied before it.
    expect(scripts.postinstall).toBe('node scripts/prisma-generate.mjs');
    const copiedBefore = deps.slice(0, install).filter((instruction) => keyword(instruction) === 'COPY').flatMap((instruction) => argumentsOf(instruction).slice(0, -1));
    for (const file of ['package.json', 'package-lock.json', 'prisma.config.ts', 'scripts/prisma-generate.mjs', 'prisma/schema.prisma']) expect(copiedBefore).toContain(file);
    // What the build uninstalls after generating must be a dependency Baton's code never imports.
    const { dependencies } = JSON.parse(readText('package.json')) as { dependencies: Record<string, string> };
    for (const run of runs) {
      for (const [, removed] of run.matchAll(/npm uninstall ([\w@/-]+)/g)) {
        expect(Object.keys(dependencies)).toContain(removed);
        expect(runtimeImports().has(removed!), `src/ imports ${removed}`).toBe(false);
      }
    }
    // Prisma's CLI downloads its schema engine unless this variable names a file (prisma-offline notes).
    const env = deps.filter((instruction) => keyword(instruction) === 'ENV').flatMap(argumentsOf);
    expect(env.some((pair) => /^PRISMA_SCHEMA_ENGINE_BINARY=\/\S+/.test(pair))).toBe(true);
  });

  it('ships every file src/ reads at run time (migrations, package.json): each lies under a path the runtime stage copies', () => {
    const copied = finalStage
      .filter((instruction) => keyword(instruction) === 'COPY')
      .flatMap((instruction) => {
        const args = argumentsOf(instruction);
        // COPY --from=deps /app/x ./x puts x in the image too.
        return args.slice(0, -1).map((source) => source.replace(/^\/app\//, ''));
      });
    expect(copied).toContain('prisma');
    const reads = typeScriptFiles(join(ROOT, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/new URL\('([^']+)', import\.meta\.url\)/g)].map((match) => relative(ROOT, join(file, '..', match[1]!))),
    );
    expect(reads).toContain(join('prisma', 'migrations'));
    for (const path of reads) {
      expect(copied.some((source) => path === source || path.startsWith(`${source}/`)), `${path} is not in the image`).toBe(true);
    }
  });

  it('bakes no secret into the image', () => {
    const env = instructions.filter((instruction) => ['ENV', 'ARG'].includes(keyword(instruction))).flatMap(argumentsOf);
    expect(env.filter((pair) => /SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL/i.test(pair.split('=')[0]!))).toEqual([]);
  });
});

describe('.dockerignore', () => {
  const ignored = dockerignore();

  it('keeps dependencies, data, history, tests and generated code out of the build context', () => {
    for (const path of ['node_modules', 'node_modules/pg/package.json', 'src/node_modules', '.data', '.data/pglite', '.git', 'tests', 'tests/deploy/dockerfile.test.ts', 'src/db/generated/prisma/client.ts']) {
      expect(ignored(path), path).toBe(true);
    }
  });

  it('lets in what the image is built from', () => {
    for (const path of ['package.json', 'package-lock.json', 'src/main.ts', 'src/migrate.ts', 'prisma/migrations/migration_lock.toml', 'scripts/prisma-generate.mjs']) {
      expect(ignored(path), path).toBe(false);
    }
  });
});

describe('the image’s commands, run here without Docker', () => {
  let database: TestDatabase;
  let dataDir: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataDir = mkdtempSync(join(tmpdir(), 'baton-image-'));
  });
  afterAll(async () => {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('CMD with the image’s ENV serves /health, the HEALTHCHECK command passes, and SIGTERM drains and exits 0', async () => {
    const [program, ...args] = execForm(dockerfile.getCMDs().at(-1)!);
    const { DATABASE_URL: _admin, ...inherited } = process.env;
    // The image's ENV, but a free port, a loopback host and a throw-away database.
    const env = { ...inherited, ...imageEnvironment(), PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...database.env };
    const child = spawn(program!, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stderr.on('data', (chunk) => (log += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk) => {
          log += chunk;
          const line = log.split('\n').find((candidate) => candidate.includes('"msg":"Baton is listening"'));
          if (line) resolve((JSON.parse(line) as { url: string }).url);
        });
        void exited.then((code) => reject(new Error(`exited with ${code}:\n${log}`)));
      });
      expect((await fetch(`${url}/health`)).status).toBe(200);

      const [hcProgram, ...hcArgs] = execForm(dockerfile.getHEALTHCHECKs()[0]!);
      const port = new URL(url).port;
      expect(spawnSync(hcProgram!, hcArgs, { env: { ...process.env, PORT: port } }).status).toBe(0);
      // Nothing listens on port 9 (discard): the check must fail, not hang or pass.
      expect(spawnSync(hcProgram!, hcArgs, { env: { ...process.env, PORT: '9' } }).status).toBe(1);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(log).toContain('"msg":"shutting down"');
  }, 60_000);

  it('needs nothing `npm ci --omit=dev` leaves out: src/ imports only production dependencies and files under src/', () => {
    const { dependencies } = JSON.parse(readText('package.json')) as { dependencies: Record<string, string> };
    const problems = [...runtimeImports()].filter((name) => (name.startsWith('/') ? !name.startsWith(join(ROOT, 'src')) : !(name in dependencies)));
    expect(problems).toEqual([]);
    // `node --import tsx` loads tsx at run time.
    expect(dependencies).toHaveProperty('tsx');
  });
});
