// Turning measurements into the two outputs: a table for people, a JSON file
// for comparing runs later (with the machine and parameters it was taken on).
import { mkdir, writeFile } from 'node:fs/promises';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { DatabaseKind } from './databases.js';
import type { LoadResult } from './load.js';

export interface Measurement {
  scenario: string;
  /** `none` for the bare node:http ceiling. */
  database: DatabaseKind | 'none';
  result: LoadResult;
}

export interface Parameters {
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  pipelining: 1;
  serverLogLevel: 'warn';
  databasePoolSize: number;
  postgres: { url: string; source: string };
}

/** A target that was not measured: skipped (no PostgreSQL) or failed. */
export interface Omission {
  target: string;
  outcome: 'skipped' | 'failed';
  reason: string;
}

/** The product goal, stated next to what was measured; a baseline reports it, it does not enforce it. */
export const GOAL = {
  description: '≥ 500 leads/s with p95 < 100 ms on PostgreSQL (POST /api/v1/leads)',
  scenario: 'POST /api/v1/leads',
  database: 'postgres' as const,
  leadsPerSecond: 500,
  p95Ms: 100,
};

export interface GoalAssessment {
  description: string;
  measured: { leadsPerSecond: number; p95Ms: number } | null;
  met: boolean | null;
}

export function assessGoal(measurements: Measurement[]): GoalAssessment {
  const run = measurements.find((m) => m.scenario === GOAL.scenario && m.database === GOAL.database);
  if (!run) return { description: GOAL.description, measured: null, met: null };
  const measured = { leadsPerSecond: run.result.successesPerSecond, p95Ms: run.result.latencyMs.p95 };
  return { description: GOAL.description, measured, met: measured.leadsPerSecond >= GOAL.leadsPerSecond && measured.p95Ms < GOAL.p95Ms };
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
  { title: 'req/s', align: 'right' },
  { title: 'p50 ms', align: 'right' },
  { title: 'p95 ms', align: 'right' },
  { title: 'p99 ms', align: 'right' },
  { title: 'non-2xx', align: 'right' },
  { title: 'errors', align: 'right' },
  { title: 'bad body', align: 'right' },
  { title: 'CPU server', align: 'right' },
  { title: 'CPU bench', align: 'right' },
  { title: 'CPU pg', align: 'right' },
  { title: 'CPU other', align: 'right' },
] as const;

/** Rows grouped by scenario (in order of first appearance), so databases sit next to each other. */
function byScenario(measurements: Measurement[]): Measurement[] {
  const order = [...new Set(measurements.map((m) => m.scenario))];
  return [...measurements].sort((a, b) => order.indexOf(a.scenario) - order.indexOf(b.scenario));
}

export function formatTable(measurements: Measurement[]): string {
  const rows = byScenario(measurements).map(({ scenario, database, result: r }) => [
    scenario,
    database === 'none' ? '—' : database,
    formatRate(r.requestsPerSecond),
    formatMs(r.latencyMs.p50),
    formatMs(r.latencyMs.p95),
    formatMs(r.latencyMs.p99),
    String(r.non2xx),
    r.timeouts > 0 ? `${r.errors} (${r.timeouts} t/o)` : String(r.errors),
    String(r.badBodies),
    formatPercent(r.cpu.server),
    formatPercent(r.cpu.loadGenerator),
    formatPercent(r.cpu.postgres),
    formatPercent(r.cpu.other),
  ]);
  const widths = COLUMNS.map((column, i) => Math.max(column.title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, i) => (COLUMNS[i]!.align === 'left' ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(COLUMNS.map((c) => c.title)), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatGoal(goal: GoalAssessment, omissions: Omission[]): string {
  const head = `Goal: ${goal.description}`;
  if (!goal.measured) {
    const why = omissions.find((o) => o.target === 'postgres');
    return `${head}\n  not measured${why ? `: PostgreSQL ${why.outcome} (${why.reason})` : ''}`;
  }
  const { leadsPerSecond, p95Ms } = goal.measured;
  const verdict = goal.met ? 'met' : 'NOT met (a baseline: reported, not enforced)';
  return (
    `${head}\n` +
    `  measured: ${formatRate(leadsPerSecond)} leads/s (successful), p95 ${formatMs(p95Ms)} ms → ${verdict}\n` +
    `  rate ${mark(leadsPerSecond >= GOAL.leadsPerSecond)} ${formatRate(leadsPerSecond)} / ${GOAL.leadsPerSecond}, ` +
    `p95 ${mark(p95Ms < GOAL.p95Ms)} ${formatMs(p95Ms)} / < ${GOAL.p95Ms} ms`
  );
}

/** Server warnings/errors logged during measurement: usually the first clue when non-2xx is not 0. */
export function formatServerLogs(measurements: Measurement[]): string {
  return measurements
    .filter(({ result }) => result.serverLog.warnings + result.serverLog.errors > 0)
    .map(({ scenario, database, result: { serverLog } }) =>
      [
        `${label(scenario, database)}: server logged ${serverLog.errors} error and ${serverLog.warnings} warning lines, e.g.`,
        ...serverLog.examples.map((example) => `    ${example}`),
      ].join('\n'),
    )
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
  const lines = disturbed.map(({ scenario, database, result: { cpu } }) => {
    const top = cpu.otherTop.map((p) => `${formatPercent(p.cores)} ${p.command}`).join('; ');
    return `  ${label(scenario, database)}: ${formatPercent(cpu.other)} other${top ? ` (${top})` : ''}`;
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

function label(scenario: string, database: Measurement['database']): string {
  return database === 'none' ? scenario : `${scenario} on ${database}`;
}

function formatRate(perSecond: number): string {
  return perSecond >= 100 ? String(Math.round(perSecond)) : perSecond.toFixed(1);
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
