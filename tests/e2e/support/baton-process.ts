// Baton as its image runs it: `node dist/main.js` (compiled once per run by
// compiled-build.ts) in a process of its own, configured by its environment
// alone. The tests of separate roles and of killed workers start several at once
// on one database; a fleet kills whatever it started and is still running, even
// when a test failed halfway.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { TEST_JWT_SECRET } from '../../support/test-app.js';
import { nodeCommandFor } from '../deploy/support/repo.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');
/** dist/main.js: what `npm start` runs once it compiled. */
const MAIN = nodeCommandFor('start')[1]!;

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface BatonProcess {
  /** What the test calls it in its logs: "api", "engagement #2". */
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  /** Everything it wrote so far, stdout and stderr. */
  output(): string;
  readonly exited: Promise<Exit>;
  /** SIGKILL, as the OOM killer or a lost node would: no shutdown at all. Resolves once the process is gone. */
  kill(): Promise<Exit>;
  /** SIGTERM, as an orchestrator stops a pod: it drains and exits 0. */
  stop(): Promise<Exit>;
}

export interface BatonFleet {
  /** Starts `node dist/main.js` with the fleet's environment and `env`; resolves once it listens. */
  start(name: string, env: Record<string, string>): Promise<BatonProcess>;
  /** SIGKILL to every process of the fleet still running (afterAll, whatever happened). */
  killAll(): Promise<void>;
  /** Every process's output, for the report of a failed test. */
  logs(): string;
}

/**
 * `env` is what every process of the fleet shares (the database, Redis, the key
 * prefix); the test's own DATABASE_URL and REDIS_URL (the admin's, CI's) are not
 * inherited, so a process only sees the stores it is given.
 */
export function batonFleet(env: Record<string, string>): BatonFleet {
  const { DATABASE_URL: _admin, REDIS_URL: _redis, ...inherited } = process.env;
  const shared: NodeJS.ProcessEnv = {
    ...inherited,
    HOST: '127.0.0.1',
    PORT: '0',
    JWT_SECRET: TEST_JWT_SECRET,
    LOG_LEVEL: 'info',
    // One admin token sends every request of a test; nothing else should run on its own.
    RATE_LIMIT_PER_MINUTE: '0',
    CONSOLIDATION_INTERVAL_S: '0',
    ...env,
  };
  const started: BatonProcess[] = [];
  return {
    async start(name, own) {
      const baton = await startBaton(name, { ...shared, ...own });
      started.push(baton);
      return baton;
    },
    async killAll() {
      await Promise.all(started.map((baton) => baton.kill()));
    },
    logs: () => started.map((baton) => `--- ${baton.name} (pid ${baton.pid}) ---\n${baton.output()}`).join('\n'),
  };
}

async function startBaton(name: string, env: NodeJS.ProcessEnv): Promise<BatonProcess> {
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk;
    stdout += chunk;
  });
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      output += `[${name} exited: ${signal ?? `code ${code}`}]\n`;
      resolve({ code, signal });
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const listening = () => {
      const line = stdout.split('\n').find((candidate) => candidate.includes('"msg":"Baton is listening"'));
      if (!line) return;
      child.stdout.off('data', listening);
      resolve((JSON.parse(line) as { url: string }).url);
    };
    child.stdout.on('data', listening);
    void exited.then(({ code, signal }) =>
      reject(new Error(`${name} (BATON_ROLES=${env.BATON_ROLES}) exited (${signal ?? code}) before listening:\n${output}`)),
    );
  });
  const signal = async (kind: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(kind);
    return exited;
  };
  return { name, url, pid: child.pid!, output: () => output, exited, kill: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}
