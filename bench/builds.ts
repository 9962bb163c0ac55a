// The code under measurement: the working tree, and with BENCH_BASELINE_REF an
// older commit exported beside it, so before and after run in one benchmark on
// the same machine. Each is started the way its own package.json `start` script
// started it then: compiled (`tsc … && node dist/main.js`) or through tsx
// (`tsx src/main.ts`), the build step run first and the server run with a bare
// `node`, so the process measured is the server itself.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Cleanup } from './cleanup.js';

export interface BatonBuild {
  /** `current`, or `baseline` for the ref given in BENCH_BASELINE_REF. */
  role: 'current' | 'baseline';
  /** What the code is: `git describe` of the working tree, or the ref's commit and subject. */
  description: string;
  /** The short commit, for labels. */
  commit: string;
  /** Where it runs (the repository, or the baseline's exported tree). */
  directory: string;
  /** `node` arguments that start the server, relative to `directory`. */
  entry: string[];
  /** The command line as started, for the report. */
  start: string;
  /** Installed packages that do not satisfy what the baseline's package.json asks for (npm ls). Empty for the current code. */
  packageProblems: string[];
}

/** The working tree as production runs it: built by its start script's build step, then started with node. */
export async function prepareCurrent(repository: string): Promise<BatonBuild> {
  const commit = await git(repository, ['rev-parse', '--short', 'HEAD']);
  const description = `working tree (${await git(repository, ['describe', '--always', '--dirty= + uncommitted changes'])})`;
  return { role: 'current', description, commit, directory: repository, packageProblems: [], ...(await build(repository)) };
}

/**
 * Exports `ref` (git archive) into a temporary directory, gives it the working
 * tree's node_modules (a symlink: the packages installed today), generates its
 * own Prisma client from its own schema (its postinstall, as `npm ci` would),
 * and builds it if it was compiled then.
 */
export async function prepareBaseline(cleanup: Cleanup, repository: string, ref: string, progress: (line: string) => void): Promise<BatonBuild> {
  const commit = await git(repository, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
    throw new Error(`BENCH_BASELINE_REF=${ref} is not a commit of this repository`);
  });
  const short = await git(repository, ['rev-parse', '--short', commit]);
  const subject = await git(repository, ['log', '-1', '--format=%s', commit]);
  const directory = await mkdtemp(join(tmpdir(), `baton-bench-baseline-${short}-`));
  cleanup.defer(`remove ${directory}`, () => rm(directory, { recursive: true, force: true }));

  progress(`▸ baseline ${ref} (${short} "${subject}"): exporting to ${directory}…`);
  await run('sh', ['-c', `git -C "$REPOSITORY" archive --format=tar ${commit} | tar -x -C "$DIRECTORY"`], repository, {
    REPOSITORY: repository,
    DIRECTORY: directory,
  });
  await symlink(join(repository, 'node_modules'), join(directory, 'node_modules'), 'dir');
  const scripts = await packageScripts(directory);
  // Its own client from its own schema, into its own src/db/generated. Prisma's CLI
  // would download a schema engine it does not need for generating: any path stops it.
  progress(`  generating its Prisma client (${scripts.postinstall ?? 'prisma generate'})…`);
  await run('sh', ['-c', scripts.postinstall ?? 'prisma generate'], directory, {
    PRISMA_SCHEMA_ENGINE_BINARY: process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
  });
  const started = await build(directory);
  return {
    role: 'baseline',
    description: `${short === ref ? '' : `${ref} = `}${short} "${subject}"`,
    commit: short,
    directory,
    packageProblems: await packageProblems(directory),
    ...started,
  };
}

/** Runs the build step of `scripts.start` (what precedes `node <file>` or `tsx <file>`); returns how to start the server. */
async function build(directory: string): Promise<Pick<BatonBuild, 'entry' | 'start'>> {
  const { start } = await packageScripts(directory);
  if (!start) throw new Error(`${directory}/package.json has no start script: cannot tell how to start it`);
  const steps = start.split('&&').map((step) => step.trim());
  const server = steps.pop()!;
  const entry = serverEntry(server);
  if (!entry) throw new Error(`cannot tell how to start ${directory}: its start script ends with "${server}", expected "node <file>" or "tsx <file>"`);
  for (const step of steps) await run('sh', ['-c', step], directory);
  return { entry, start: steps.length > 0 ? `${steps.join(' && ')}, then ${server}` : server };
}

/** `node dist/main.js` → [dist/main.js]; `tsx src/main.ts` → [--import, tsx, src/main.ts] (tsx's loader in the server's own process). */
function serverEntry(command: string): string[] | undefined {
  const match = /^(node|tsx)\s+(\S+)$/.exec(command);
  if (!match) return undefined;
  return match[1] === 'node' ? [match[2]!] : ['--import', 'tsx', match[2]!];
}

async function packageScripts(directory: string): Promise<Record<string, string | undefined>> {
  const manifest = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as { scripts?: Record<string, string> };
  return manifest.scripts ?? {};
}

/**
 * The baseline runs on today's packages: npm ls names the runtime dependencies
 * its package.json asks for that are missing or of a version outside its range
 * (packages it does not use are not a problem).
 */
async function packageProblems(directory: string): Promise<string[]> {
  const output = await run('npm', ['ls', '--omit=dev', '--depth=0', '--json'], directory, {}, { allowFailure: true });
  try {
    const { problems = [] } = JSON.parse(output) as { problems?: string[] };
    return problems.filter((problem) => !problem.startsWith('extraneous:'));
  } catch {
    return [`npm ls gave no readable answer: ${output.slice(0, 200)}`];
  }
}

function git(repository: string, args: string[]): Promise<string> {
  return run('git', ['-C', repository, ...args], repository).then((output) => output.trim());
}

/** Runs a command with the directory's node_modules/.bin on PATH (as npm scripts are); resolves with its stdout. */
function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}, { allowFailure = false } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env, PATH: [join(cwd, 'node_modules', '.bin'), process.env.PATH].join(delimiter) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('close', (code) => {
      if (code === 0 || allowFailure) resolve(stdout);
      else reject(new Error(`${[command, ...args].join(' ')} (in ${cwd}) exited with ${code}:\n${(stderr || stdout).trim().slice(-2000)}`));
    });
  });
}
