// Which queues a process works, by its roles (BATON_ROLES): the triage,
// engagement and optimization agents each take their own queue, the delivery
// worker the outbox's; any process running an agent also runs memory
// consolidation, retention (RETENTION_DAYS) and the re-encryption of people's data when their scheduled jobs fall due.
import type { HandoffReceipt } from '../agents/handoff/handoff-receipt.js';
import type { HandoffOrchestrator } from '../agents/handoff/handoff-orchestrator.js';
import type { EngagementAgent } from '../agents/engagement/engagement-agent.js';
import { createEngagementWorker } from '../agents/engagement/engagement-worker.js';
import type { OptimizationAgent } from '../agents/optimization/optimization-agent.js';
import { createOptimizationWorker } from '../agents/optimization/optimization-worker.js';
import type { TriageAgent } from '../agents/triage/triage-agent.js';
import { createTriageWorker, type TriageObserver } from '../agents/triage/triage-worker.js';
import type { LowQualityPolicy, Role } from '../config.js';
import type { PrismaClient } from '../db/generated/prisma/client.js';
import type { BatonPubSub } from '../events/event-bus.js';
import type { JobHandlers } from '../jobs/job-queue.js';
import { createDeliveryWorker, type DeliveryWorkerDependencies } from '../delivery/delivery-worker.js';
import type { ConsolidationSchedule } from '../memory/consolidation/consolidation-schedule.js';
import { RETENTION_TASK, type RetentionSchedule } from '../privacy/erasure/retention-schedule.js';
import type { Memory } from '../memory/memory.js';
import { bestEffortShortTerm } from '../memory/short-term/best-effort.js';
import type { ShortTermMemory } from '../memory/short-term/short-term-memory.js';
import type { PersonalDataCipher } from '../privacy/personal-data-cipher.js';
import type { ReencryptionSchedule } from '../privacy/re-encryption-schedule.js';

export type AgentRole = Exclude<Role, 'api' | 'delivery'>;

export function isAgentRole(role: Role): role is AgentRole {
  return role !== 'api' && role !== 'delivery';
}

export function agentJobHandlers(
  roles: readonly Role[],
  deps: {
    prisma: PrismaClient;
    /** Seals and opens people's data in the rows the workers read and write. */
    cipher: PersonalDataCipher;
    pubsub: BatonPubSub;
    orchestrator: HandoffOrchestrator;
    receipt: HandoffReceipt;
    triage: TriageAgent;
    engagement: EngagementAgent;
    optimization: OptimizationAgent;
    shortTerm: ShortTermMemory;
    /** The tiers a receiving agent's gate recalls a lead from. */
    memory: Pick<Memory, 'profiles' | 'episodes' | 'semantic'>;
    lowQualityPolicy: LowQualityPolicy;
    consolidation: ConsolidationSchedule | null;
    /** Moves people's data to the current data key (src/privacy/re-encryption.ts). */
    reencryption: ReencryptionSchedule;
    /** RETENTION_DAYS: its runs ride the consolidation queue, told apart by their payload. */
    retention?: RetentionSchedule | null;
    observeTriage: TriageObserver;
    /** The delivery worker's transports and retry policy (the `delivery` role). */
    delivery: Omit<DeliveryWorkerDependencies, 'prisma' | 'cipher'>;
    /** A short-term memory read or write skipped because Redis did not answer (the lead goes on without it). */
    onShortTermSkipped?: (operation: 'store' | 'retrieve', error: unknown) => void;
  },
): JobHandlers {
  const handlers: JobHandlers = {};
  const shortTerm = bestEffortShortTerm(deps.shortTerm, deps.onShortTermSkipped ?? (() => {}));
  if (roles.includes('triage')) handlers.triage = createTriageWorker({ ...deps, shortTerm, triage: deps.triage, observe: deps.observeTriage });
  if (roles.includes('engagement')) {
    // The memory object also holds the raw short-term tier: only the best-effort one may reach the worker.
    const { profiles, episodes, semantic } = deps.memory;
    handlers.engagement = createEngagementWorker({ ...deps, shortTerm, memory: { profiles, episodes, semantic }, handsCampaignsToOptimization: true });
  }
  if (roles.includes('optimization')) handlers.optimization = createOptimizationWorker(deps);
  if (roles.includes('delivery')) handlers.delivery = createDeliveryWorker({ prisma: deps.prisma, cipher: deps.cipher, ...deps.delivery });
  const { consolidation, retention } = deps;
  if ((consolidation || retention) && roles.some(isAgentRole)) {
    handlers.consolidation = async (payload) => {
      if (payload.task === RETENTION_TASK) await retention?.run();
      else await consolidation?.run();
    };
  }
  if (roles.some(isAgentRole)) handlers.reencryption = () => deps.reencryption.run();
  return handlers;
}
