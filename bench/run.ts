// `npm run bench`: a throughput/latency baseline of Baton's lead intake and
// lead lookup, on embedded PGlite and (when reachable) PostgreSQL, next to a
// bare node:http server as the ceiling of this machine. Prints a table and
// writes bench/results/baseline-<timestamp>.json. See bench/README.md.
//
// Environment: BENCH_DURATION (s, default 10), BENCH_WARMUP (s, default 3),
// BENCH_CONNECTIONS (default 50), BENCH_DATABASE_URL / DATABASE_URL (PostgreSQL
// server to create the benchmark database on; default the local one).
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createTokenService } from '../src/auth/jwt.js';
import { loadConfig } from '../src/config.js';
import { Cleanup, cleanUpOnSignals, InterruptedError } from './cleanup.js';
import { sampleMachineBusy } from './cpu.js';
import { createPgliteDatabase, createPostgresDatabase, postgresAdminUrl, redactUrl, type BenchDatabase } from './databases.js';
import { runLoad, type LoadResult } from './load.js';
import {
  assessGoal,
  formatDisturbances,
  formatGoal,
  formatServerLogs,
  formatTable,
  machineInfo,
  writeJsonReport,
  type GoalAssessment,
  type Measurement,
  type Omission,
  type Parameters,
} from './report.js';
import {
  bareScenario,
  jsonRpcTriageScenario,
  leadBody,
  leadQueryScenario,
  LeadIds,
  processLeadMutationScenario,
  processLeadScenario,
  type Scenario,
} from './scenarios.js';
import { REPO_ROOT, startBareServer, startBaton, waitUntilIdle, type Target } from './targets.js';

const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
/** Above this busy share before the run, the report warns that the machine was not quiet. */
const BUSY_MACHINE = 0.2;

function readParameters(env: NodeJS.ProcessEnv = process.env): Parameters {
  return {
    durationSeconds: positiveNumber(env, 'BENCH_DURATION', 10),
    warmupSeconds: positiveNumber(env, 'BENCH_WARMUP', 3),
    connections: positiveNumber(env, 'BENCH_CONNECTIONS', 50),
    pipelining: 1,
    serverLogLevel: 'warn',
    // Passed through to Baton unchanged; read with Baton's own parser so the default is Baton's.
    databasePoolSize: loadConfig({ DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE }).databasePoolSize,
    postgres: (({ url, source }) => ({ url: redactUrl(url), source }))(postgresAdminUrl(env)),
  };
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got "${raw}"`);
  return value;
}

/** Everything one run shares: cleanup, parameters, and a JWT secret known to both sides. */
interface Run {
  id: string;
  cleanup: Cleanup;
  parameters: Parameters;
  jwtSecret: string;
}

function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const run: Run = {
    id: randomBytes(4).toString('hex'),
    cleanup: new Cleanup(),
    parameters: readParameters(),
    jwtSecret: randomBytes(32).toString('hex'),
  };
  cleanUpOnSignals(run.cleanup);
  const { durationSeconds, warmupSeconds, connections } = run.parameters;
  progress(`Baton benchmark: ${connections} connections, ${warmupSeconds} s warm-up + ${durationSeconds} s per scenario`);
  const busyBeforeStart = await sampleMachineBusy(1000);
  progress(`  machine before start: ${Math.round(busyBeforeStart * 100)} % of all cores busy\n`);

  const measurements: Measurement[] = [];
  const omissions: Omission[] = [];
  let interrupted = false;
  try {
    await attempt(run, 'bare node:http', omissions, async () => measurements.push(...(await measureBare(run))));
    await attempt(run, 'pglite', omissions, async () => measurements.push(...(await measureBaton(run, await createPgliteDatabase(run.cleanup)))));
    await attempt(run, 'postgres', omissions, async () => {
      const database = await createPostgresDatabase(run.cleanup, postgresAdminUrl().url);
      if ('skipped' in database) {
        omissions.push({ target: 'postgres', outcome: 'skipped', reason: database.skipped });
        progress(`\n▸ PostgreSQL: skipped: ${database.skipped}`);
        return;
      }
      measurements.push(...(await measureBaton(run, database)));
    });
  } finally {
    // Aborted before our own cleanup means a signal came: its handler is
    // cleaning up too and will exit; no half report.
    interrupted = run.cleanup.signal.aborted;
    await run.cleanup.runAll();
  }
  if (interrupted) return 130;

  const goal = assessGoal(measurements);
  printReport(measurements, omissions, goal, busyBeforeStart);
  const path = await writeJsonReport(
    RESULTS_DIR,
    {
      kind: 'baton-benchmark-baseline',
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { ...machineInfo(), busyBeforeStart },
      parameters: run.parameters,
      goal,
      results: measurements,
      omissions,
    },
    startedAt,
  );
  console.log(`\nJSON: ${path}`);
  return omissions.some((o) => o.outcome === 'failed') ? 1 : 0;
}

/** One target failing (it would not start, it crashed) is reported; the other targets still run. */
async function attempt(run: Run, target: string, omissions: Omission[], work: () => Promise<unknown>): Promise<void> {
  if (run.cleanup.signal.aborted) return;
  try {
    await work();
  } catch (error) {
    // Interrupted: whatever broke, broke because we are stopping it.
    if (error instanceof InterruptedError || run.cleanup.signal.aborted) return;
    const reason = error instanceof Error ? error.message : String(error);
    omissions.push({ target, outcome: 'failed', reason });
    progress(`\n✗ ${target} failed: ${reason}`);
  }
}

async function measureBare(run: Run): Promise<Measurement[]> {
  progress('▸ bare node:http: starting…');
  const server = await startBareServer(run.cleanup);
  try {
    const scenario = bareScenario(new LeadIds(`bench-${run.id}-bare`));
    return [{ scenario: scenario.name, database: 'none', result: await measure(run, server, scenario) }];
  } finally {
    await server.stop();
  }
}

/** Baton on one database: lead intake over REST and GraphQL, triage over JSON-RPC, then lookups of a lead stored during warm-up. */
async function measureBaton(run: Run, database: BenchDatabase): Promise<Measurement[]> {
  try {
    progress(`\n▸ Baton on ${database.kind} (${database.location}): starting…`);
    const server = await startBaton(run.cleanup, { ...database.env, JWT_SECRET: run.jwtSecret });
    try {
      const token = await createTokenService(run.jwtSecret).sign({ subject: 'bench', roles: ['admin'] });
      const ids = new LeadIds(`bench-${run.id}-${database.kind}`);
      const intake = processLeadScenario(token, ids);

      // A single checked request first (it is the warm-up's first lead): a
      // wrong token or a broken pipeline is reported as such, not as a table
      // full of non-2xx.
      const firstLeadId = ids.issue();
      await expectSuccess(server, { ...intake, body: leadBody(firstLeadId) });
      const intakeResult = await measure(run, server, intake);

      const measured = [{ scenario: intake.name, database: database.kind, result: intakeResult }];
      for (const scenario of [processLeadMutationScenario(token, ids), jsonRpcTriageScenario(token, ids), leadQueryScenario(token, firstLeadId)]) {
        await settle(server);
        await expectSuccess(server, scenario);
        measured.push({ scenario: scenario.name, database: database.kind, result: await measure(run, server, scenario) });
      }
      return measured;
    } finally {
      await server.stop();
    }
  } finally {
    await database.drop();
  }
}

/** Warm-up then measurement, in one load run (see load.ts for why). */
async function measure(run: Run, target: Target, scenario: Scenario): Promise<LoadResult> {
  const { cleanup, parameters } = run;
  const { warmupSeconds, durationSeconds, connections } = parameters;
  progress(`  ${scenario.name}: ${warmupSeconds} s warm-up + ${durationSeconds} s measured…`);
  const result = await runLoad(target, scenario, { warmupSeconds, seconds: durationSeconds, connections, signal: cleanup.signal });
  progress(
    `    ${result.requestsPerSecond.toFixed(1)} req/s, p95 ${result.latencyMs.p95.toFixed(1)} ms, ` + `${result.non2xx} non-2xx, ${result.errors} errors`,
  );
  return result;
}

/** The previous scenario's abandoned requests must not run into the next one. */
async function settle(target: Target): Promise<void> {
  if (!(await waitUntilIdle(target))) progress('  (the server was still busy a minute after the previous scenario; measuring anyway)');
}

async function expectSuccess(target: Target, scenario: Scenario): Promise<void> {
  const response = await fetch(target.url + scenario.path, {
    method: scenario.method,
    headers: scenario.headers,
    body: typeof scenario.body === 'function' ? scenario.body() : scenario.body,
  });
  const text = await response.text();
  if (response.status !== 200 || (scenario.verifyBody && !scenario.verifyBody(text))) {
    throw new Error(`${scenario.name} answered ${response.status} to a single request: ${text.slice(0, 500)}`);
  }
}

function printReport(measurements: Measurement[], omissions: Omission[], goal: GoalAssessment, busyBeforeStart: number): void {
  const machine = machineInfo();
  console.log(`\nResults: ${machine.cpus} × ${machine.cpuModel}, Node ${machine.node}, ${machine.os}`);
  console.log('CPU columns: average use during the measured window in % of one core; pg = all postgres processes, other = everything else.\n');
  console.log(formatTable(measurements));
  if (busyBeforeStart > BUSY_MACHINE) {
    console.log(`\n⚠ The machine was ${Math.round(busyBeforeStart * 100)} % busy before the run started.`);
  }
  const disturbances = formatDisturbances(measurements);
  if (disturbances) console.log(`\n${disturbances}`);
  for (const { target, outcome, reason } of omissions) console.log(`\n${target}: ${outcome}: ${reason}`);
  const logs = formatServerLogs(measurements);
  if (logs) console.log(`\n${logs}`);
  console.log(`\n${formatGoal(goal, omissions)}`);
}

process.exitCode = await main().catch((error: unknown) => {
  progress(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  return 1;
});
