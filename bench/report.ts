// Turning measurements into the two outputs: a table for people, a JSON file
// for comparing runs later (with the machine and parameters it was taken on).
import { mkdir, writeFile } from 'node:fs/promises';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { DatabaseKind } from './databases.js';
import { isFlowTimes, type Distribution, type FlowReading } from './flows.js';
import type { LoadResult } from './load.js';

export interface Measurement {
  scenario: string;
  /** `none` for the bare node:http ceiling. */
  database: DatabaseKind | 'none';
  /** The code measured: the baseline ref's, the working tree's, or neither (the ceiling). */
  code: 'baseline' | 'current' | 'none';
  /** What ran, as the table shows it: `baseline 5d42604`, `current`, `current, 2 processes`; `—` for the ceiling. */
  target: string;
  result: LoadResult;
  /** Flow and queue times from the database, for scenarios that start flows. */
  flows?: FlowReading;
}

export interface Parameters {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  pipelining: 1;
  serverLogLevel: 'warn';
  databasePoolSize: number;
  postgres: { url: string; source: string };
  databases: DatabaseKind[];
  /** BENCH_BASELINE_REF, when before/after is measured. */
  baselineRef: string | null;
  /** Agent roles of each worker process in the split configuration (BENCH_WORKERS); empty: not measured. */
  workers: string[][];
  /** Where the split configuration's events go: Redis (redacted URL), or null for PostgreSQL LISTEN/NOTIFY. */
  splitRedis: string | null;
}

/** A target that was not measured: skipped (no PostgreSQL) or failed. */
export interface Omission {
  target: string;
  outcome: 'skipped' | 'failed';
  reason: string;
}

/** The product goal, stated next to what was measured; a baseline reports it, it does not enforce it. */
export const GOAL = {
  description: '≥ 500 leads/s with p95 < 100 ms at 50 connections on PostgreSQL (POST /api/v1/leads, the whole pipeline)',
  scenario: 'POST /api/v1/leads',
  database: 'postgres' as const,
  connections: 50,
  leadsPerSecond: 500,
  p95Ms: 100,
};

export interface GoalAssessment {
  description: string;
  /** One per target measured on PostgreSQL (baseline, current, current split). */
  measured: { target: string; leadsPerSecond: number; p95Ms: number; met: boolean }[];
}

export function assessGoal(measurements: Measurement[]): GoalAssessment {
  const runs = measurements.filter((m) => m.scenario === GOAL.scenario && m.database === GOAL.database);
  return {
    description: GOAL.description,
    measured: runs.map(({ target, result }) => {
      const leadsPerSecond = result.successesPerSecond;
      const p95Ms = result.latencyMs.p95;
      return { target, leadsPerSecond, p95Ms, met: leadsPerSecond >= GOAL.leadsPerSecond && p95Ms < GOAL.p95Ms };
    }),
  };
}

export function machineInfo() {
  const processors = cpus();
  return {
    os: `${platform()} ${release()} ${arch()}`,
    cpus: processors.length,
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

const COLUMNS = [
  { title: 'Scenario', align: 'left' },
  { title: 'Database', align: 'left' },
  { title: 'Baton', align: 'left' },
  { title: 'req/s', align: 'right' },
  { title: '× base', align: 'right' },
  { title: 'p50 ms', align: 'right' },
  { title: 'p95 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
  { title: 'p95 × base', align: 'right' },
  { title: 'flow p50', align: 'right' },
  { title: 'flow p95', align: 'right' },
  { title: '202', align: 'right' },
  { title: 'non-2xx', align: 'right' },
  { title: 'errors', align: 'right' },
  { title: 'bad body', align: 'right' },
  { title: 'CPU server', align: 'right' },
  { title: 'CPU bench', align: 'right' },
  { title: 'CPU pg', align: 'right' },
  { title: 'CPU other', align: 'right' },
] as const;

/** Rows grouped by scenario (in order of first appearance), then database, so before and after sit next to each other. */
function byScenario(measurements: Measurement[]): Measurement[] {
  const scenarios = [...new Set(measurements.map((m) => m.scenario))];
  const databases = [...new Set(measurements.map((m) => m.database))];
  return [...measurements].sort(
    (a, b) => scenarios.indexOf(a.scenario) - scenarios.indexOf(b.scenario) || databases.indexOf(a.database) - databases.indexOf(b.database),
  );
}

/** The baseline's run of the same scenario on the same database, if any. */
function baselineOf(measurement: Measurement, measurements: Measurement[]): Measurement | undefined {
  if (measurement.code !== 'current') return undefined;
  return measurements.find((m) => m.code === 'baseline' && m.scenario === measurement.scenario && m.database === measurement.database);
}

export function formatTable(measurements: Measurement[]): string {
  const rows = byScenario(measurements).map((measurement) => {
    const { scenario, database, target, result: r, flows } = measurement;
    const base = baselineOf(measurement, measurements)?.result;
    const flowCell = (pick: (d: Distribution) => number) => {
      if (!flows) return '—';
      if (!isFlowTimes(flows)) return 'n/a';
      return flows.endToEndMs ? formatMs(pick(flows.endToEndMs)) : '—';
    };
    return [
      scenario,
      database === 'none' ? '—' : database,
      target,
      formatRate(r.requestsPerSecond),
      base ? formatRatio(r.requestsPerSecond, base.requestsPerSecond) : '',
      formatMs(r.latencyMs.p50),
      formatMs(r.latencyMs.p95),
      formatMs(r.latencyMs.p99),
      base ? formatRatio(r.latencyMs.p95, base.latencyMs.p95) : '',
      flowCell((d) => d.p50),
      flowCell((d) => d.p95),
      String(r.statusCodes['202'] ?? 0),
      String(r.non2xx),
      r.timeouts > 0 ? `${r.errors} (${r.timeouts} t/o)` : String(r.errors),
      String(r.badBodies),
      formatPercent(r.cpu.server),
      formatPercent(r.cpu.loadGenerator),
      formatPercent(r.cpu.postgres),
      formatPercent(r.cpu.other),
    ];
  });
  // Without a baseline the ratio columns would be empty: left out.
  const shown = COLUMNS.map((column, i) => ({ column, i })).filter(({ column }) => hasBaseline(measurements) || !RATIO_COLUMNS.includes(column.title));
  return alignedTable(
    shown.map(({ column }) => column.title),
    shown.map(({ column }) => column.align),
    rows.map((row) => shown.map(({ i }) => row[i]!)),
  );
}

const RATIO_COLUMNS: string[] = ['× base', 'p95 × base'];

function hasBaseline(measurements: Measurement[]): boolean {
  return measurements.some((m) => m.code === 'baseline');
}

/**
 * The flows' own times and each queue's wait and work, for the rows whose
 * scenario starts flows; empty when no code measured has flows.
 */
export function formatFlowTable(measurements: Measurement[]): string {
  const measured = byScenario(measurements).filter((m) => m.flows);
  const withFlows = measured.flatMap((m) => (m.flows && isFlowTimes(m.flows) ? [m.flows] : []));
  if (withFlows.length === 0) return '';
  const queues = [...new Set(withFlows.flatMap((f) => f.queues.map((q) => q.queue)))];
  const headers = [
    'Scenario',
    'Database',
    'Baton',
    'flows',
    'settled',
    'flow mean',
    'flow p50',
    'flow p95',
    'flow p99',
    ...queues.flatMap((queue) => [`${queue} wait mean/p95`, `${queue} work mean/p95`]),
  ];
  const rows = measured.map(({ scenario, database, target, flows }) => {
    const head = [scenario, database, target];
    if (!flows || !isFlowTimes(flows)) return [...head, ...headers.slice(3).map(() => 'n/a')];
    const settled = flows.submitted - (flows.statuses.IN_PROGRESS ?? 0);
    const e2e = flows.endToEndMs;
    const meanP95 = (d: Distribution | null | undefined) => (d ? `${formatMs(d.mean)} / ${formatMs(d.p95)}` : '—');
    return [
      ...head,
      String(flows.submitted),
      String(settled),
      ...(e2e ? [e2e.mean, e2e.p50, e2e.p95, e2e.p99].map(formatMs) : ['—', '—', '—', '—']),
      ...queues.flatMap((queue) => {
        const times = flows.queues.find((q) => q.queue === queue);
        return [meanP95(times?.waitMs), meanP95(times?.workMs)];
      }),
    ];
  });
  const table = alignedTable(
    headers,
    headers.map((_, i) => (i < 3 ? 'left' : 'right')),
    rows,
  );
  const outcomes = measured.flatMap(({ scenario, database, target, flows }) => {
    if (!flows || !isFlowTimes(flows)) return [];
    const others = Object.entries(flows.statuses).filter(([status]) => status !== 'COMPLETED');
    return others.length > 0 ? [`  ${scenario} on ${database}, ${target}: ${others.map(([status, count]) => `${count} ${status}`).join(', ')}`] : [];
  });
  return outcomes.length > 0
    ? `${table}
Flows that did not complete (IN_PROGRESS: not settled when the target stopped):
${outcomes.join('\n')}`
    : table;
}

function alignedTable(headers: readonly string[], align: readonly ('left' | 'right')[], rows: string[][]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (align[i] === 'left' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatGoal(goal: GoalAssessment, omissions: Omission[], connections: number): string {
  const head = `Goal: ${goal.description}`;
  if (goal.measured.length === 0) {
    const why = omissions.find((o) => o.target.startsWith('postgres'));
    return `${head}\n  not measured${why ? `: PostgreSQL ${why.outcome} (${why.reason})` : ''}`;
  }
  const lines = goal.measured.map(({ target, leadsPerSecond, p95Ms, met }) => {
    const verdict = met ? 'met' : 'NOT met';
    return (
      `  ${target}: ${formatRate(leadsPerSecond)} leads/s (200 and complete), p95 ${formatMs(p95Ms)} ms → ${verdict}  ` +
      `(rate ${mark(leadsPerSecond >= GOAL.leadsPerSecond)} ${formatRate(leadsPerSecond)} / ${GOAL.leadsPerSecond}, ` +
      `p95 ${mark(p95Ms < GOAL.p95Ms)} ${formatMs(p95Ms)} / < ${GOAL.p95Ms} ms)`
    );
  });
  const note = connections === GOAL.connections ? [] : [`  (measured at ${connections} connections, not the goal's ${GOAL.connections})`];
  return [head, ...lines, ...note, '  a benchmark reports the goal, it does not enforce it'].join('\n');
}

/** Server warnings/errors logged during measurement: usually the first clue when non-2xx is not 0. */
export function formatServerLogs(measurements: Measurement[]): string {
  return measurements
    .filter(({ result }) => result.serverLog.warnings + result.serverLog.errors > 0)
    .map((measurement) => {
      const { serverLog } = measurement.result;
      return [
        `${label(measurement)}: server logged ${serverLog.errors} error and ${serverLog.warnings} warning lines, e.g.`,
        ...serverLog.examples.map((example) => `    ${example}`),
      ].join('\n');
    })
    .join('\n');
}

/** Above this many cores used by other processes during a window, the report names them. */
const DISTURBED_CORES = 0.2;

/**
 * Measurements during which other processes took real CPU, with the biggest
 * of them: those figures are lower than the machine can do when quiet.
 */
export function formatDisturbances(measurements: Measurement[]): string {
  const disturbed = byScenario(measurements).filter(({ result }) => (result.cpu.other ?? 0) > DISTURBED_CORES);
  if (disturbed.length === 0) return '';
  const lines = disturbed.map((measurement) => {
    const { cpu } = measurement.result;
    const top = cpu.otherTop.map((p) => `${formatPercent(p.cores)} ${p.command}`).join('; ');
    return `  ${label(measurement)}: ${formatPercent(cpu.other)} other${top ? ` (${top})` : ''}`;
  });
  return ['⚠ Other processes competed for the CPU (figures are lower than on a quiet machine):', ...lines].join('\n');
}

export async function writeJsonReport(directory: string, report: object, startedAt: Date): Promise<string> {
  await mkdir(directory, { recursive: true });
  // ISO 8601 basic format: sortable and free of ':' (not allowed in Windows file names).
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const path = join(directory, `baseline-${stamp}.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

function label({ scenario, database, target }: Measurement): string {
  return database === 'none' ? scenario : `${scenario} on ${database}, ${target}`;
}

function formatRate(perSecond: number): string {
  return perSecond >= 100 ? String(Math.round(perSecond)) : perSecond.toFixed(1);
}

/** This figure over the baseline's: 2.00× is twice the rate (or, for p95, twice the latency). */
function formatRatio(value: number, base: number): string {
  return base > 0 ? `${(value / base).toFixed(2)}×` : 'n/a';
}

function formatMs(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
}

/** Cores as a percentage of one core (200 % = both cores of a 2-core machine). */
function formatPercent(cores: number | undefined): string {
  return cores === undefined ? 'n/a' : `${Math.round(cores * 100)}%`;
}

function mark(ok: boolean): string {
  return ok ? '✓' : '✗';
}
