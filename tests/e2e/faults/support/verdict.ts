// The fault suite's judgement of a load's outcomes, once the load has stopped
// and the flows had time to settle: what every request was answered, whether
// each acknowledged lead is stored with its flow finished, whether anything
// was answered twice differently. The figures are printed for the closing note.
import type { Outcome } from './lead-load.js';

export interface StoredLead {
  id: string;
  /** Its flows' statuses; an empty list is a lead stored without a flow (half-written). */
  flows: string[];
}

export interface Figures {
  sent: number;
  acknowledged: number;
  storedComplete: number;
  unavailable: number;
  otherClientErrors: number;
  refused: number;
  /** Requests sent on a kept-alive connection just as the stopping server closed it (RFC 9112 §9.3.1: the client may retry). */
  resetWhileRestarting: number;
  lost: number;
}

export interface Verdict {
  figures: Figures;
  /** Everything that broke an invariant, one line each; empty when the run was clean. */
  problems: string[];
}

const SETTLED = new Set(['COMPLETED', 'FAILED', 'ESCALATED', 'CONTEXT_REQUESTED']);

/**
 * How undici reports a kept-alive connection closed by the stopping server as a request goes out on it: a reset
 * (ECONNRESET), or the server's close read before any answer ("other side closed", UND_ERR_SOCKET).
 */
const CLOSED_UNDER_IT = new Set(['ECONNRESET', 'UND_ERR_SOCKET']);

/** `restartPhase`: the phase in which Baton was stopped and started again. */
export function judge(outcomes: readonly Outcome[], stored: ReadonlyMap<string, StoredLead>, restartPhase: string): Verdict {
  const problems: string[] = [];
  const figures: Figures = {
    sent: outcomes.length,
    acknowledged: 0,
    storedComplete: 0,
    unavailable: 0,
    otherClientErrors: 0,
    refused: 0,
    resetWhileRestarting: 0,
    lost: 0,
  };
  const describe = (o: Outcome) => `${o.door} ${o.leadId}${o.key ? ` key ${o.key}` : ''} in "${o.phase}"`;

  for (const outcome of outcomes) {
    const lead = stored.get(outcome.leadId);
    if (lead && (lead.flows.length === 0 || lead.flows.some((status) => !SETTLED.has(status)))) {
      problems.push(`${describe(outcome)}: stored half-written (flows: ${lead.flows.join(', ') || 'none'})`);
    }
    if (outcome.status === undefined) {
      // Nothing listening (Baton restarting) is expected and counted; any other network failure is a dropped request.
      if (outcome.networkError === 'ECONNREFUSED') figures.refused += 1;
      else if (CLOSED_UNDER_IT.has(outcome.networkError ?? '') && outcome.phase === restartPhase && !lead) figures.resetWhileRestarting += 1;
      else problems.push(`${describe(outcome)}: no answer (${outcome.networkError})`);
      continue;
    }
    const failed = graphqlFailure(outcome);
    if (outcome.status >= 200 && outcome.status < 300 && !failed) {
      figures.acknowledged += 1;
      if (lead && lead.flows.length > 0 && lead.flows.every((status) => SETTLED.has(status))) figures.storedComplete += 1;
      else {
        figures.lost += 1;
        problems.push(`${describe(outcome)}: answered ${outcome.status} but ${lead ? 'not complete' : 'not stored'}`);
      }
      continue;
    }
    const code = failed ?? (outcome.body as { error?: { code?: string } } | undefined)?.error?.code;
    if (outcome.status === 503 || code === 'UNAVAILABLE') {
      figures.unavailable += 1;
      if (!outcome.retryAfter) problems.push(`${describe(outcome)}: 503 without Retry-After`);
      if (code !== 'UNAVAILABLE') problems.push(`${describe(outcome)}: 503 with code ${code}`);
      // Refused before it ran: an Idempotency-Key that could not be checked stores nothing.
      const message = JSON.stringify(outcome.body);
      if (outcome.key && message.includes('Idempotency-Key cannot be checked') && lead && !outcomes.some((o) => o.key === outcome.key && o.status === 200)) {
        problems.push(`${describe(outcome)}: refused for its Idempotency-Key, yet stored`);
      }
      continue;
    }
    if (outcome.status >= 400 && outcome.status < 500 && typeof code === 'string') {
      figures.otherClientErrors += 1;
      continue;
    }
    problems.push(`${describe(outcome)}: answered ${outcome.status} ${JSON.stringify(outcome.body).slice(0, 300)}`);
  }

  // Same Idempotency-Key, same answer: every final answer (not 409 in use, not 503) to a key is the first one's.
  const answers = new Map<string, string>();
  for (const outcome of outcomes) {
    if (!outcome.key || outcome.status === undefined || outcome.status === 409 || outcome.status >= 500) continue;
    const answer = JSON.stringify({ status: outcome.status, body: outcome.body });
    const first = answers.get(outcome.key);
    if (first === undefined) answers.set(outcome.key, answer);
    else if (first !== answer) problems.push(`key ${outcome.key}: answered ${first.slice(0, 200)} then ${answer.slice(0, 200)}`);
  }
  return { figures, problems };
}

/** A GraphQL response's error code (its first error), or undefined when it has data and no errors. */
function graphqlFailure(outcome: Outcome): string | undefined {
  if (outcome.door !== 'graphql') return undefined;
  const { data, errors } = (outcome.body ?? {}) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  if (!errors?.length && data) return undefined;
  return errors?.[0]?.extensions?.code ?? 'NO_DATA';
}
