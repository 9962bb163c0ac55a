// deploy/Dockerfile, parsed with dockerfile-ast: the structure the deployment
// relies on (stages, non-root user, healthcheck, ports, node as PID 1), the
// files and scripts it uses, what the compiled build and the production install
// put in the image, a few hadolint rules (no hadolint here), and the build
// context's .dockerignore. Then the image's commands run here, without Docker,
// on the compiled build: its CMD with its ENV serves /health, its HEALTHCHECK
// command says so, and SIGTERM stops it cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_DATA_ENCRYPTION_KEY } from '../../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { ROOT, buildLayout, nodeCommandFor, packageScripts, readText, sourceOf } from './support/repo.js';

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
 * imports. Type-only imports are left out: tsc erases them.
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

/** The RUN of a stage's `npm ci`, as its words. */
function npmCi(stage: Instruction[]): string[] {
  const run = stage.find((instruction) => keyword(instruction) === 'RUN' && /\bnpm ci\b/.test(instruction.getArgumentsContent() ?? ''));
  if (!run) throw new Error('no npm ci in this stage');
  return run.getArgumentsContent()!.replace(/\\\n/g, ' ').split('&&')[0]!.trim().split(/\s+/);
}

interface LockEntry {
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
}

/**
 * The lockfile's paths (node_modules/a, node_modules/a/node_modules/b) that `npm ci`
 * installs with these --omit values. npm's rule: a dev package goes with dev, an
 * optional one with optional, and a devOptional one (a dev dependency that is also
 * an optional dependency or peer of a production package) only when both are omitted.
 */
function installedPackages(omit: string[]): Set<string> {
  const { packages } = JSON.parse(readText('package-lock.json')) as { packages: Record<string, LockEntry> };
  const dev = omit.includes('dev');
  const optional = omit.includes('optional');
  const omitted = (entry: LockEntry) => (entry.dev && dev) || (entry.optional && optional) || (entry.devOptional && dev && optional);
  return new Set(Object.keys(packages).filter((path) => path !== '' && !omitted(packages[path]!)));
}

/** ENV of the final stage, as the container starts with it. */
function imageEnvironment(): Record<string, string> {
  return Object.fromEntries(
    finalStage
      .filter((instruction) => keyword(instruction) === 'ENV')
      .flatMap((instruction) => argumentsOf(instruction).map((pair) => pair.split('=', 2) as [string, string])),
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
      .map((part) =>
        part === '**'
          ? '.*'
          : part
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replaceAll('*', '[^/]*')
              .replaceAll('?', '[^/]'),
      )
      .join('/')
      .replaceAll('.*/', '(?:.*/)?');
    // A pattern that matches a directory excludes everything under it.
    return new RegExp(`^${source}(?:/.*)?$`);
  });
  return (path) => regexes.some((regex) => regex.test(path));
}

describe('deploy/Dockerfile', () => {
  it('builds in stages and runs from a slim Node 22 image, one Node for every stage', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) {
      expect(from.getImageName()).toBe('node');
      // hadolint DL3006/DL3007: a pinned tag, not latest.
      expect(from.getImageTag()).toMatch(/^22(\.\d+)*-(bookworm-slim|alpine)$/);
      expect(from.getImageTag()).toBe(froms[0]!.getImageTag());
      expect(from.getBuildStage()).toBeTruthy();
    }
    // A Node that package.json's engines admits (^22.15 || >=24): the tag's major version.
    expect((JSON.parse(readText('package.json')) as { engines: { node: string } }).engines.node).toMatch(/^\^22\.\d+ \|\| >=24$/);
  });

  it('runs as a non-root user given by number (Kubernetes can then verify runAsNonRoot)', () => {
    const users = finalStage.filter((instruction) => keyword(instruction) === 'USER').map((instruction) => argumentsOf(instruction)[0]!);
    const user = users.at(-1);
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(user!.split(':')[0]).not.toBe('0');
    expect(user!.split(':')[0]).toBe('1000'); // the runAsUser of deploy/k8s
  });

  it('starts node itself (not npm) on the compiled program of npm start, which the build emits', () => {
    const cmd = dockerfile.getCMDs().at(-1)!;
    expect(execForm(cmd)).toEqual(nodeCommandFor('start'));
    // dist/ is compiled before the tests run; its source must exist too.
    expect(existsSync(join(ROOT, execForm(cmd).at(-1)!))).toBe(true);
    expect(existsSync(join(ROOT, sourceOf(execForm(cmd).at(-1)!)))).toBe(true);
    // Plain JavaScript: no loader (tsx) between node and the program.
    expect(execForm(cmd)).toHaveLength(2);
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
    expect(Object.fromEntries(healthchecks[0]!.getFlags().map((f) => [f.getName(), f.getValue()]))).toMatchObject({
      interval: expect.any(String),
      timeout: expect.any(String),
    });
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

  it('copies from the build stage only what `npm run build` produces: dist/, with the Prisma client the schema generates compiled in', () => {
    const stages = froms.map((from) => from.getBuildStage());
    const { rootDir, outDir } = buildLayout();
    expect([rootDir, outDir]).toEqual(['src', 'dist']);
    expect(packageScripts().build).toBe('tsc -b tsconfig.build.json && npm run --silent build:dashboard');
    // The dashboard's build lands inside dist/ too, so the one COPY of dist/ carries it.
    expect(readText('dashboard/vite.config.ts')).toContain(`'../${outDir}/dashboard-app'`);
    // The generated client lies under rootDir, so the build compiles it into outDir.
    const generated = [...readText('prisma/schema.prisma').matchAll(/^\s*output\s*=\s*"\.\.\/([^"]+)"/gm)].map((match) => match[1]!);
    expect(generated).toContain('src/db/generated/prisma');
    for (const path of generated) expect(path.startsWith(`${rootDir}/`), path).toBe(true);
    const fromCopies = dockerfile.getCOPYs().filter((copy) => copy.getFromFlag());
    expect(fromCopies.length).toBeGreaterThan(0);
    for (const copy of fromCopies) {
      const from = copy.getFromFlag()!.getValue();
      expect(stages.indexOf(from)).toBeGreaterThanOrEqual(0);
      expect(stages.indexOf(from)).toBeLessThan(stages.length - 1);
      expect(argumentsOf(copy)).toEqual([`/app/${outDir}`, `./${outDir}`]);
      // The stage it copies from builds dist/ with `npm run build`.
      const start = froms[stages.indexOf(from)]!.getRange().start.line;
      const end = froms[stages.indexOf(from) + 1]!.getRange().start.line;
      const stage = instructions.filter((instruction) => instruction.getRange().start.line >= start && instruction.getRange().start.line < end);
      expect(stage.some((instruction) => keyword(instruction) === 'RUN' && /^npm run build\b/.test(instruction.getArgumentsContent() ?? ''))).toBe(true);
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
    // With its scripts and dev dependencies: the postinstall generates the client, tsc compiles.
    expect(npmCi(deps)).not.toContain('--ignore-scripts');
    expect(npmCi(deps).filter((word) => word.startsWith('--omit'))).toEqual([]);
    // npm ci runs the postinstall script, which needs these: they must be copied before it.
    expect(scripts.postinstall).toBe('node scripts/prisma-generate.mjs');
    const copiedBefore = deps
      .slice(0, install)
      .filter((instruction) => keyword(instruction) === 'COPY')
      .flatMap((instruction) => argumentsOf(instruction).slice(0, -1));
    for (const file of ['package.json', 'package-lock.json', 'prisma.config.ts', 'scripts/prisma-generate.mjs', 'prisma/schema.prisma'])
      expect(copiedBefore).toContain(file);
    // `npm run build` comes after the install, with the sources and both tsconfig files copied.
    const build = deps.findIndex((instruction) => keyword(instruction) === 'RUN' && /^npm run build\b/.test(instruction.getArgumentsContent() ?? ''));
    expect(build).toBeGreaterThan(install);
    const copiedBeforeBuild = deps
      .slice(0, build)
      .filter((instruction) => keyword(instruction) === 'COPY')
      .flatMap((instruction) => argumentsOf(instruction).slice(0, -1));
    for (const file of ['tsconfig.json', 'tsconfig.build.json', 'src']) expect(copiedBeforeBuild).toContain(file);
    // Prisma's CLI downloads its schema engine unless this variable names a file (prisma-offline notes).
    const env = deps.filter((instruction) => keyword(instruction) === 'ENV').flatMap(argumentsOf);
    expect(env.some((pair) => /^PRISMA_SCHEMA_ENGINE_BINARY=\/\S+/.test(pair))).toBe(true);
  });

  it('ships the compiled program and every file it reads at run time (migrations, package.json): each lies under a path the runtime stage copies', () => {
    const copied = finalStage
      .filter((instruction) => keyword(instruction) === 'COPY')
      .flatMap((instruction) => {
        const args = argumentsOf(instruction);
        // COPY --from=build /app/x ./x puts x in the image too.
        return args.slice(0, -1).map((source) => source.replace(/^\/app\//, ''));
      });
    const inImage = (path: string) => copied.some((source) => path === source || path.startsWith(`${source}/`));
    expect(inImage(execForm(dockerfile.getCMDs().at(-1)!).at(-1)!)).toBe(true);
    // A module reads relative to where it runs: src/x.ts runs as dist/x.js.
    const { rootDir, outDir } = buildLayout();
    const reads = typeScriptFiles(join(ROOT, 'src')).flatMap((file) => {
      const compiled = join(ROOT, outDir, relative(join(ROOT, rootDir), file));
      return [...readFileSync(file, 'utf8').matchAll(/new URL\('([^']+)', import\.meta\.url\)/g)].map((match) =>
        relative(ROOT, join(compiled, '..', match[1]!)),
      );
    });
    expect(reads).toContain(join('prisma', 'migrations'));
    expect(reads).toContain('package.json');
    for (const path of reads) expect(inImage(path), `${path} is not in the image`).toBe(true);
  });

  it('installs only production dependencies in the runtime stage: no Prisma CLI (nor its Studio), no tsx, no TypeScript', () => {
    const install = npmCi(finalStage);
    for (const flag of ['--omit=dev', '--omit=optional', '--ignore-scripts']) expect(install).toContain(flag);
    const copiedBefore = finalStage
      .slice(
        0,
        finalStage.findIndex((instruction) => keyword(instruction) === 'RUN' && /\bnpm ci\b/.test(instruction.getArgumentsContent() ?? '')),
      )
      .filter((instruction) => keyword(instruction) === 'COPY')
      .flatMap((instruction) => argumentsOf(instruction).slice(0, -1));
    expect(copiedBefore).toEqual(['package.json', 'package-lock.json']);

    const { dependencies, devDependencies } = JSON.parse(readText('package.json')) as Record<string, Record<string, string>>;
    const tooling = ['prisma', 'tsx', 'typescript'];
    for (const name of tooling) {
      expect(devDependencies).toHaveProperty(name);
      expect(dependencies).not.toHaveProperty(name);
    }
    const installed = installedPackages(install.filter((word) => word.startsWith('--omit=')).map((word) => word.slice('--omit='.length)));
    const present = (name: string) => [...installed].some((path) => path === `node_modules/${name}` || path.endsWith(`/node_modules/${name}`));
    for (const name of [...tooling, '@prisma/studio-core', '@typescript/typescript-linux-x64']) expect(present(name), `${name} is installed`).toBe(false);
    // Without --omit=optional, npm would keep the CLI: @prisma/client names it as an optional peer.
    expect(installedPackages(['dev']).has('node_modules/prisma')).toBe(true);
    // What the compiled program imports is installed.
    for (const name of runtimeImports()) if (!name.startsWith('/')) expect(installed.has(`node_modules/${name}`), name).toBe(true);
  });

  it('bakes no secret into the image', () => {
    const env = instructions.filter((instruction) => ['ENV', 'ARG'].includes(keyword(instruction))).flatMap(argumentsOf);
    expect(env.filter((pair) => /SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL/i.test(pair.split('=')[0]!))).toEqual([]);
  });
});

describe('.dockerignore', () => {
  const ignored = dockerignore();

  it('keeps dependencies, data, history, tests, generated code and the host’s dist/ out of the build context', () => {
    for (const path of [
      'node_modules',
      'node_modules/pg/package.json',
      'src/node_modules',
      '.data',
      '.data/pglite',
      '.git',
      'tests',
      'tests/e2e/deploy/dockerfile.test.ts',
      'src/db/generated/prisma/client.ts',
      'dist',
      'dist/main.js',
      'dist/.tsbuildinfo',
    ]) {
      expect(ignored(path), path).toBe(true);
    }
  });

  it('lets in what the image is built from', () => {
    for (const path of [
      'package.json',
      'package-lock.json',
      'src/main.ts',
      'src/migrate.ts',
      'prisma/migrations/migration_lock.toml',
      'scripts/prisma-generate.mjs',
      'tsconfig.json',
      'tsconfig.build.json',
      'prisma.config.ts',
      'prisma/schema.prisma',
    ]) {
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
    // The image's ENV, but a free port, a loopback host and a throw-away database; production needs its data key, as deploy/ gives it.
    const env = {
      ...inherited,
      ...imageEnvironment(),
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY,
      ...database.env,
    };
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
    // The compiled program needs no loader at run time: tsx is a dev dependency only.
    expect(dependencies).not.toHaveProperty('tsx');
  });
});
