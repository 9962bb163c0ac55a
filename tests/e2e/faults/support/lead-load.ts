// A steady load of leads on Baton's doors while the test breaks its
// dependencies: POST /api/v1/leads without and with an Idempotency-Key (every
// fourth keyed request sends an earlier key again, with the same body, as a
// client retrying would) and GraphQL processLead. Each request's outcome is
// kept, whatever it was: a status and body, or the network error that stood in
// for one. Nothing here judges; the test does, once the load has stopped.
import { randomUUID } from 'node:crypto';

export type Door = 'rest' | 'rest-keyed' | 'graphql';

export interface Outcome {
  door: Door;
  leadId: string;
  key?: string;
  /** What the test was doing when the request was sent. */
  phase: string;
  /** Absent when no HTTP response came back. */
  status?: number;
  retryAfter?: string | null;
  replayed?: boolean;
  body?: unknown;
  /** The network failure instead of a response: ECONNREFUSED (nothing listening), ECONNRESET, … */
  networkError?: string;
}

export interface LeadLoad {
  readonly outcomes: readonly Outcome[];
  /** Tags the requests sent from now on. */
  setPhase(phase: string): void;
  /** Resolves once `count` more requests have an outcome. */
  untilMore(count: number): Promise<void>;
  /** Waits for the requests in flight, sends no more; resolves with every outcome. */
  stop(): Promise<Outcome[]>;
}

const DOORS: Door[] = ['rest', 'rest-keyed', 'graphql'];
/** Longer than anything Baton may take to answer (PROCESS_WAIT_MS, a drained shutdown): a request hanging past it is reported as such. */
const REQUEST_TIMEOUT_MS = 60_000;

const PROCESS_LEAD = 'mutation FaultLoad($input: LeadInput!) { processLead(input: $input) { flowId status } }';

/** `url()` is read for each request: a Baton restarted on another port takes the load from then on. */
export function startLeadLoad({ url, token, workers = 3 }: { url: () => string; token: string; workers?: number }): LeadLoad {
  const outcomes: Outcome[] = [];
  const waiters: { at: number; resolve: () => void }[] = [];
  const keyed: { key: string; leadId: string }[] = [];
  let phase = 'start';
  let stopped = false;
  let sequence = 0;

  const record = (outcome: Outcome) => {
    outcomes.push(outcome);
    for (const waiter of [...waiters]) {
      if (outcomes.length < waiter.at) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  async function sendOne(): Promise<void> {
    const n = sequence++;
    const door = DOORS[n % DOORS.length]!;
    const retry = door === 'rest-keyed' && keyed.length > 0 && n % 4 === 0;
    const earlier = retry ? keyed[keyed.length - 1]! : undefined;
    const leadId = earlier?.leadId ?? `fault-${randomUUID()}`;
    const key = door === 'rest-keyed' ? (earlier?.key ?? randomUUID()) : undefined;
    if (key && !earlier) keyed.push({ key, leadId });
    const outcome: Outcome = { door, leadId, phase, ...(key ? { key } : {}) };
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    if (key) headers['idempotency-key'] = key;
    try {
      const response =
        door === 'graphql'
          ? await fetch(`${url()}/graphql`, {
              method: 'POST',
              headers,
              body: JSON.stringify({
                query: PROCESS_LEAD,
                variables: { input: { leadId, industry: 'TECHNOLOGY', companySize: 'ENTERPRISE', source: 'webinar' } },
              }),
              signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            })
          : await fetch(`${url()}/api/v1/leads`, {
              method: 'POST',
              headers,
              body: JSON.stringify({ lead_data: { lead_id: leadId, industry: 'Technology', company_size: 'Enterprise', source: 'webinar' } }),
              signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
            });
      outcome.status = response.status;
      outcome.retryAfter = response.headers.get('retry-after');
      outcome.replayed = response.headers.get('idempotent-replayed') === 'true';
      const text = await response.text();
      try {
        outcome.body = JSON.parse(text);
      } catch {
        outcome.body = text;
      }
    } catch (error) {
      outcome.networkError = networkErrorOf(error);
    }
    record(outcome);
  }

  const running = Array.from({ length: workers }, async () => {
    while (!stopped) {
      await sendOne();
      // A refused connection comes back at once: pace the retries so the figures count requests, not a spin.
      const last = outcomes[outcomes.length - 1];
      if (last?.networkError || last?.status === 503) await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  return {
    outcomes,
    setPhase(next) {
      phase = next;
    },
    untilMore(count) {
      const at = outcomes.length + count;
      return new Promise((resolve) => waiters.push({ at, resolve }));
    },
    async stop() {
      stopped = true;
      await Promise.all(running);
      return outcomes;
    },
  };
}

function networkErrorOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error instanceof Error && error.name === 'TimeoutError') return 'TIMEOUT';
  return cause?.code ?? cause?.message ?? String(error);
}
