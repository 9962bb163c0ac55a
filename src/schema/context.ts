// What every resolver receives: who is calling, and the services to call.
import type { Principal } from '../auth/roles.js';
import type { AccessCollector } from '../audit/access-collector.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { RequestOrigin } from '../audit/doors.js';
import type { LeadIntake } from '../agents/flows/lead-intake.js';
import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { BatonPubSub } from '../events/event-bus.js';
import type { Memory } from '../memory/memory.js';
import type { EscalationDesk } from '../agents/handoff/escalation-desk.js';
import type { ContextSupply } from '../agents/handoff/context-supply.js';
import type { HandoffOrchestrator } from '../agents/handoff/handoff-orchestrator.js';
import type { OptimizationAgent } from '../agents/optimization/optimization-agent.js';
import type { SystemStatus } from '../agents/system-status.js';
import type { Reencryption } from '../privacy/re-encryption.js';
import type { LeadEraser } from '../privacy/erasure/erase-lead.js';
import type { Loaders } from './loaders.js';
import type { PersonalDataCipher } from '../privacy/personal-data-cipher.js';

export interface Services {
  prisma: PrismaClient;
  pubsub: BatonPubSub;
  leads: LeadIntake;
  memory: Memory;
  escalations: EscalationDesk;
  /** Answers the quality gate's requests for context (provideHandoffContext). */
  handoffContext: ContextSupply;
  optimization: OptimizationAgent;
  orchestrator: HandoffOrchestrator;
  systemStatus: () => Promise<SystemStatus>;
  /** Who read people's data in clear, or wrote or erased it (src/audit/). */
  audit: AuditLog;
  /** Seals what a mutation stores and opens what resolvers read sealed (src/schema/pii-masking.ts opens every declared field). */
  cipher: PersonalDataCipher;
  /** Moves every sealed value to the current data key (reencryptPersonalData). */
  reencryption: Reencryption;
  /** eraseLead: a person out of every tier (src/privacy/erasure/). */
  erasure: LeadEraser;
}

export interface Context {
  principal: Principal;
  services: Services;
  /** Fresh per request (and per subscription event stream): caches never outlive one operation's reads. */
  loaders: Loaders;
  /** The door and request id the operation came by, for the audit log. */
  origin: RequestOrigin;
  /** Notes the operation's clear reads and writes of people's data; written when it ends (src/audit/use-audit-log.ts). */
  audit: AccessCollector;
}
