// The servers under load, each in a child process: with two cores, a server
// sharing the load generator's event loop would measure neither. A target is
// started on a free port and is ready when GET /health answers 200.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { BatonBuild } from './builds.js';
import type { Cleanup } from './cleanup.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const HOST = '127.0.0.1';
/** A fresh PGlite runs initdb and the migrations first: seconds on a small machine. */
const READY_TIMEOUT_MS = 120_000;
/** Baton gives in-flight requests 10 s on SIGTERM; a little more, then SIGKILL. */
const STOP_TIMEOUT_MS = 12_000;

/** One server process of a target. */
export interface TargetProcess {
  pid: number;
  url: string;
  /** BATON_ROLES it runs with; `all` when unset (every role). */
  roles: string;
  log: ServerLog;
}

export interface Target {
  /** Where the load goes: the process that serves the API. */
  url: string;
  /** Every process of the target, the API's first: their CPU is the server's, their logs are watched. */
  processes: TargetProcess[];
  stop(): Promise<void>;
}

/**
 * Baton from `build`, as its start script runs it minus the npm/tsx wrapper
 * processes (so each pid is a server). One process with every role by default;
 * with `workerRoles`, an `api` process and one process per group of agent roles
 * (BATON_ROLES), started after the API's has applied the migrations.
 */
export async function startBaton(cleanup: Cleanup, build: BatonBuild, env: Record<string, string>, workerRoles: string[][] = []): Promise<Target> {
  // The benchmark measures capacity, not the per-caller rate limit (one token sends every request).
  const common = { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', ...env };
  const groups = workerRoles.length > 0 ? [['api'], ...workerRoles] : [[]];
  const started: Started[] = [];
  try {
    for (const roles of groups) {
      const name = roles.length > 0 ? `Baton (${roles.join(',')})` : 'Baton';
      started.push(await startProcess(cleanup, name, build.directory, build.entry, roles.length > 0 ? { ...common, BATON_ROLES: roles.join(',') } : common));
    }
  } catch (error) {
    for (const server of started.reverse()) await server.stop();
    throw error;
  }
  return target(started);
}

/** The ceiling: node:http answering a constant JSON object, nothing else. */
export async function startBareServer(cleanup: Cleanup): Promise<Target> {
  return target([await startProcess(cleanup, 'bare node:http', REPO_ROOT, ['--import', 'tsx', 'bench/bare-server.ts'], {})]);
}

type Started = TargetProcess & { stop(): Promise<void> };

function target(started: Started[]): Target {
  return {
    url: started[0]!.url,
    processes: started.map(({ pid, url, roles, log }) => ({ pid, url, roles, log })),
    // The API first, so no new work reaches the workers while they finish theirs.
    async stop() {
      for (const server of started) await server.stop();
    },
  };
}

async function startProcess(cleanup: Cleanup, name: string, cwd: string, args: string[], env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...inheritedEnvironment(), ...env, HOST, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = new ServerLog();
  child.stdout!.on('data', (chunk: Buffer) => log.write(chunk));
  child.stderr!.on('data', (chunk: Buffer) => log.write(chunk));
  const stop = cleanup.defer(`stop ${name} (pid ${child.pid})`, () => stopChild(child));

  const url = `http://${HOST}:${port}`;
  try {
    await waitUntilHealthy(url, child, name, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid!, url, roles: env.BATON_ROLES ?? 'all', log, stop };
}

/**
 * The benchmark's own environment minus everything it sets per target: a
 * DATABASE_URL meant for the PostgreSQL run must not leak into the PGlite one,
 * and a REDIS_URL or BATON_ROLES would silently change what is measured.
 */
function inheritedEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const key of [
    'DATABASE_URL',
    'DATA_DIR',
    'REDIS_URL',
    'REDIS_KEY_PREFIX',
    'BATON_ROLES',
    'PORT',
    'HOST',
    'LOG_LEVEL',
    'JWT_SECRET',
    'RATE_LIMIT_PER_MINUTE',
  ]) {
    delete env[key];
  }
  return env;
}

/** Asks the OS for a free port. Baton at LOG_LEVEL=warn does not log the one it picks for PORT=0. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      probe.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilHealthy(url: string, child: ChildProcess, name: string, log: ServerLog): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log.tail()}`);
    }
    const status = await fetch(`${url}/health`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    await delay(200);
  }
  throw new Error(`${name} did not answer GET /health with 200 within ${READY_TIMEOUT_MS / 1000} s:\n${log.tail()}`);
}

const IDLE_HEALTH_MS = 50;
const IDLE_CONFIRMATIONS = 3;
const IDLE_TIMEOUT_MS = 60_000;

/**
 * Waits until requests abandoned by the previous load run are finished (the
 * server does not cancel work when a client disconnects), judged by GET
 * /health (a database round trip) of every process answering quickly several
 * times in a row, and by the agents' queues holding no due or running job
 * (baton_queue_jobs on /metrics, where the code has queues). Resolves false
 * when the target is still busy after a minute.
 */
export async function waitUntilIdle(target: Target): Promise<boolean> {
  const deadline = Date.now() + IDLE_TIMEOUT_MS;
  let quick = 0;
  while (Date.now() < deadline) {
    const idle = (await Promise.all(target.processes.map(({ url }) => answersQuickly(url)))).every(Boolean) && (await queuedJobs(target.url)) === 0;
    quick = idle ? quick + 1 : 0;
    if (quick >= IDLE_CONFIRMATIONS) return true;
    await delay(100);
  }
  return false;
}

async function answersQuickly(url: string): Promise<boolean> {
  const started = performance.now();
  const ok = await fetch(`${url}/health`).then(
    (response) => response.ok,
    () => false,
  );
  return ok && performance.now() - started < IDLE_HEALTH_MS;
}

/** Jobs ready or running in every queue, as /metrics reports them (the queue is shared: any process can tell); 0 for code without queues. */
async function queuedJobs(url: string): Promise<number> {
  const text = await fetch(`${url}/metrics`).then(
    (response) => (response.ok ? response.text() : ''),
    () => '',
  );
  let jobs = 0;
  for (const match of text.matchAll(/^baton_queue_jobs\{[^}]*state="(?:ready|running)"[^}]*\} (\S+)$/gm)) jobs += Number(match[1]);
  return jobs;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The server's warn/error log lines while something was measured, with a few distinct examples. */
export interface LogSummary {
  warnings: number;
  errors: number;
  examples: string[];
}

const PINO_WARN = 40;
const PINO_ERROR = 50;
const KEPT_LINES = 40;
const KEPT_EXAMPLES = 5;

/**
 * What a target wrote. At LOG_LEVEL=warn anything Baton prints is worth
 * knowing about under load: the last lines are kept for start-up failures, and
 * `watch` counts warnings and errors over one measurement.
 */
export class ServerLog {
  private partial = '';
  private readonly lines: string[] = [];
  private readonly watchers = new Set<LogSummary>();

  write(chunk: Buffer): void {
    const text = this.partial + chunk.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) this.record(line);
  }

  tail(): string {
    return [...this.lines, this.partial].filter(Boolean).join('\n') || '(no output)';
  }

  /** Starts counting; the returned function stops and returns the counts. */
  watch(): () => LogSummary {
    const summary: LogSummary = { warnings: 0, errors: 0, examples: [] };
    this.watchers.add(summary);
    return () => {
      this.watchers.delete(summary);
      return summary;
    };
  }

  private record(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) this.lines.shift();
    const entry = parseLogLine(line);
    // Lines that are not pino JSON (a stack trace on stderr) count as errors.
    const level = entry?.level ?? PINO_ERROR;
    if (level < PINO_WARN) return;
    const example = entry?.summary ?? line.slice(0, 300);
    for (const summary of this.watchers) {
      if (level >= PINO_ERROR) summary.errors++;
      else summary.warnings++;
      if (summary.examples.length < KEPT_EXAMPLES && !summary.examples.includes(example)) summary.examples.push(example);
    }
  }
}

/** Level and a one-line summary (message, error type, message and code; no stack) of a pino line. */
function parseLogLine(line: string): { level: number; summary: string } | undefined {
  try {
    const entry = JSON.parse(line) as { level?: unknown; msg?: unknown; err?: { type?: unknown; message?: unknown; code?: unknown } };
    if (typeof entry.level !== 'number') return undefined;
    const { msg, err } = entry;
    const parts = [typeof msg === 'string' ? msg : undefined, err && `${String(err.type)}: ${String(err.message)}`, err?.code && `(${String(err.code)})`];
    const summary = parts.filter(Boolean).join(' ') || line;
    return { level: entry.level, summary: summary.slice(0, 300) };
  } catch {
    return undefined;
  }
}
