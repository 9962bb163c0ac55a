// Latency of sequential in-process calls (the memory benchmark's unit of
// measure), and the markdown tables the memory and triage-learning benchmarks
// print. Sequential on purpose: one call at a time measures what one agent
// step waits for, not what a saturated store can sustain.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface LatencyStats {
  /** Measured calls (warm-up calls excluded). */
  calls: number;
  /** Milliseconds, to the microsecond. */
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Calls per second of the measured window (sequential: 1000 / mean, plus the loop's own cost). */
  opsPerSecond: number;
}

export interface TimingOptions {
  /** Calls made before measuring, not counted (JIT, plan caches, connection pool). */
  warmup: number;
  /** Measured calls, at most. */
  calls: number;
  /** Stops measuring after this many seconds even if fewer calls were made (at least `minCalls`). */
  budgetSeconds: number;
  minCalls: number;
  /** Aborted: stop early (the caller is being interrupted). */
  signal?: AbortSignal;
}

/**
 * Runs `call(i)` sequentially: `warmup` times unmeasured, then up to `calls`
 * times measured, each with its own clock. `i` counts from 0 over warm-up and
 * measured calls together, so callers can index pre-drawn random keys.
 */
export async function timeCalls(options: TimingOptions, call: (i: number) => Promise<unknown>): Promise<LatencyStats> {
  const { warmup, calls, budgetSeconds, minCalls, signal } = options;
  let i = 0;
  for (; i < warmup; i++) {
    signal?.throwIfAborted();
    await call(i);
  }
  const samples: number[] = [];
  const windowStart = performance.now();
  const deadline = windowStart + budgetSeconds * 1000;
  while (samples.length < calls) {
    signal?.throwIfAborted();
    const start = performance.now();
    await call(i++);
    const end = performance.now();
    samples.push(end - start);
    if (end > deadline && samples.length >= minCalls) break;
  }
  const elapsed = performance.now() - windowStart;
  return summarize(samples, elapsed);
}

export function summarize(samples: readonly number[], elapsedMs: number): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    calls: sorted.length,
    mean: round3(total / Math.max(sorted.length, 1)),
    p50: round3(percentile(sorted, 50)),
    p95: round3(percentile(sorted, 95)),
    p99: round3(percentile(sorted, 99)),
    max: round3(sorted.at(-1) ?? 0),
    opsPerSecond: round3(elapsedMs > 0 ? (sorted.length * 1000) / elapsedMs : 0),
  };
}

/** Nearest-rank percentile of an ascending list. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1]!;
}

function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Milliseconds as a table cell: three significant figures, at least two decimals below 1 ms. */
export function formatMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms.toFixed(2);
}

export type Alignment = 'left' | 'right';

/** A GitHub-flavoured markdown table; cells padded so it also reads as plain text. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[], align: readonly Alignment[] = []): string {
  const widths = headers.map((header, c) => Math.max(header.length, 3, ...rows.map((row) => (row[c] ?? '').length)));
  const pad = (text: string, c: number) => (align[c] === 'right' ? text.padStart(widths[c]!) : text.padEnd(widths[c]!));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, c) => pad(cell, c)).join(' | ')} |`;
  const rule = `| ${widths.map((width, c) => (align[c] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [line(headers), rule, ...rows.map((row) => line(headers.map((_, c) => row[c] ?? '')))].join('\n');
}

/** Writes `bench/results/<name>-<UTC timestamp>.json` (ignored by git) and returns its path. */
export async function writeResults(directory: string, name: string, report: object, startedAt: Date): Promise<string> {
  await mkdir(directory, { recursive: true });
  const stamp = startedAt
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const path = join(directory, `${name}-${stamp}.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
