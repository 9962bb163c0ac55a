// One load run: autocannon against a target for warm-up + measurement, on the
// same connections, so the measured window starts in steady state (stopping
// after a separate warm-up would abandon up to `connections` requests the
// server then finishes during the measurement). Only responses that arrive in
// the measured window count. Latency comes from our own histogram: autocannon's
// has no p95 and rounds to whole milliseconds, too coarse for the bare server.
import autocannon from 'autocannon';
import { createHistogram } from 'node:perf_hooks';
import { InterruptedError } from './cleanup.js';
import { watchCpu, type CpuShares } from './cpu.js';
import type { Scenario } from './scenarios.js';
import type { LogSummary, Target } from './targets.js';

export interface LoadOptions {
  warmupSeconds: number;
  seconds: number;
  connections: number;
  /** Stops the run early (Ctrl-C); runLoad then rejects with InterruptedError. */
  signal: AbortSignal;
}

export interface LoadResult {
  /** The measured window; warm-up excluded. */
  durationSeconds: number;
  /** When the measured window opened and closed (wall clock, ISO 8601): the flows submitted in it are read from the database by these. */
  window: { start: string; end: string };
  /** Responses of any status per second. */
  requestsPerSecond: number;
  /**
   * 200 responses that also passed the body check, per second. A 202 (the flow
   * still running when the server stopped waiting) is not a lead through the
   * pipeline yet, so it does not count.
   */
  successesPerSecond: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  responses: number;
  non2xx: number;
  statusCodes: Record<string, number>;
  /** Connection errors and timeouts (autocannon's `errors`, timeouts included). */
  errors: number;
  timeouts: number;
  /** 2xx responses whose body said the operation failed (GraphQL errors). */
  badBodies: number;
  cpu: CpuShares;
  serverLog: LogSummary;
}

export async function runLoad(target: Target, scenario: Scenario, options: LoadOptions): Promise<LoadResult> {
  const { signal } = options;
  if (signal.aborted) throw new InterruptedError();
  const window = new MeasuredWindow(target);
  const armed = setTimeout(() => window.open(), options.warmupSeconds * 1000);
  try {
    await fire(target.url, scenario, options.connections, options.warmupSeconds + options.seconds, window, signal);
  } finally {
    clearTimeout(armed);
  }
  if (signal.aborted) throw new InterruptedError();
  return window.close();
}

/** Hooks for what autocannon reports while it runs. */
interface LoadEvents {
  response(status: number, latencyMs: number): void;
  error(timedOut: boolean): void;
  badBody(): void;
}

function fire(url: string, scenario: Scenario, connections: number, seconds: number, events: LoadEvents, signal: AbortSignal): Promise<autocannon.Result> {
  const { body, verifyBody } = scenario;
  // A body function needs setupRequest, which rebuilds the request each time;
  // a constant body is built once.
  const request: autocannon.Request =
    typeof body === 'function'
      ? { method: scenario.method, path: scenario.path, setupRequest: (previous) => ({ ...previous, body: body() }) }
      : { method: scenario.method, path: scenario.path, body };
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        headers: scenario.headers,
        requests: [request],
        ...(verifyBody ? { verifyBody: (text) => typeof text === 'string' && verifyBody(text) } : {}),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, status, _bytes, latencyMs) => events.response(status, latencyMs));
    instance.on('reqError', (error: Error) => events.error(error.message === 'request timed out'));
    // Not in @types/autocannon: emitted with the body when verifyBody says no.
    (instance as NodeJS.EventEmitter).on('reqMismatch', () => events.badBody());
    signal.addEventListener('abort', () => instance.stop(), { once: true });
  });
}

/** Counts what happens between open() and close(); ignores everything before. */
class MeasuredWindow implements LoadEvents {
  private readonly latencyMicros = createHistogram();
  private readonly statusCodes = new Map<number, number>();
  private errors = 0;
  private timeouts = 0;
  private badBodies = 0;
  private opened: { at: number; wallClock: Date; cpu: ReturnType<typeof watchCpu>; stopWatchingLogs: (() => LogSummary)[] } | undefined;

  constructor(private readonly target: Target) {}

  open(): void {
    const { processes } = this.target;
    this.opened = {
      at: performance.now(),
      wallClock: new Date(),
      cpu: watchCpu(processes.map(({ pid }) => pid)),
      stopWatchingLogs: processes.map(({ log }) => log.watch()),
    };
  }

  response(status: number, latencyMs: number): void {
    if (!this.opened) return;
    this.statusCodes.set(status, (this.statusCodes.get(status) ?? 0) + 1);
    // The histogram takes positive integers: record microseconds.
    this.latencyMicros.record(Math.max(1, Math.round(latencyMs * 1000)));
  }

  error(timedOut: boolean): void {
    if (!this.opened) return;
    this.errors++;
    if (timedOut) this.timeouts++;
  }

  badBody(): void {
    if (this.opened) this.badBodies++;
  }

  close(): LoadResult {
    if (!this.opened) throw new Error('the measured window never opened');
    const seconds = (performance.now() - this.opened.at) / 1000;
    const end = new Date();
    const cpu = this.opened.cpu.stop();
    const serverLog = mergeLogSummaries(this.opened.stopWatchingLogs.map((stop) => stop()));
    const responses = this.latencyMicros.count;
    const countOf = (accept: (status: number) => boolean) => [...this.statusCodes].reduce((sum, [status, count]) => sum + (accept(status) ? count : 0), 0);
    const ok = countOf((status) => status >= 200 && status < 300);
    const ms = (micros: number) => (responses > 0 ? micros / 1000 : 0);
    return {
      durationSeconds: seconds,
      window: { start: this.opened.wallClock.toISOString(), end: end.toISOString() },
      requestsPerSecond: responses / seconds,
      successesPerSecond: (countOf((status) => status === 200) - this.badBodies) / seconds,
      latencyMs: {
        mean: ms(this.latencyMicros.mean),
        p50: ms(this.latencyMicros.percentile(50)),
        p95: ms(this.latencyMicros.percentile(95)),
        p99: ms(this.latencyMicros.percentile(99)),
        max: ms(this.latencyMicros.max),
      },
      responses,
      non2xx: responses - ok,
      statusCodes: Object.fromEntries([...this.statusCodes].map(([status, count]) => [String(status), count])),
      errors: this.errors,
      timeouts: this.timeouts,
      badBodies: this.badBodies,
      cpu,
      serverLog,
    };
  }
}

const KEPT_EXAMPLES = 5;

/** One summary for a target's processes (API and workers). */
function mergeLogSummaries(summaries: LogSummary[]): LogSummary {
  return {
    warnings: summaries.reduce((sum, summary) => sum + summary.warnings, 0),
    errors: summaries.reduce((sum, summary) => sum + summary.errors, 0),
    examples: [...new Set(summaries.flatMap((summary) => summary.examples))].slice(0, KEPT_EXAMPLES),
  };
}
