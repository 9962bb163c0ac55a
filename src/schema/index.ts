// The GraphQL schema: every domain module registers its types on the builder.
import { builder } from './builder.js';
import { guardInputs } from './input-boundary.js';
import { maskPersonalData } from './pii-masking.js';
import './enums.js';
import './errors.js';
import './lead.js';
import './triage.js';
import './process-lead.js';
import './conversation.js';
import './interaction.js';
import './outbound-message.js';
import './handoff.js';
import './live-events.js';
import './handoff-analytics.js';
import './escalation.js';
import './handoff-context-supply.js';
import './campaign.js';
import './optimization/optimization-run.js';
import './optimization/optimize-campaign.js';
import './short-term-memory.js';
import './lead-profile.js';
import './episode.js';
import './knowledge.js';
import './memory.js';
import './erasure.js';
import './system-status.js';
import './audit-log.js';
import './personal-data.js';
import './me.js';
import './lead-funnel.js';
import './lead-activity.js';
import './outbox-counts.js';
import './triage-drift.js';
import './triage-model.js';

/**
 * Every argument passes Baton's input rules (./input-boundary.ts) before its field resolves;
 * every field declared personal data resolves masked for viewers (./pii-masking.ts).
 */
export const schema = maskPersonalData(guardInputs(builder.toSchema({ sortSchema: true })));
