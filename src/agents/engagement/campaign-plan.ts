// A campaign's engagement plan: what a manager's approval of the campaign's
// optimization changed in how engagement treats the campaign's leads. The
// optimization agent hands the approved changes over (an OPTIMIZATION_TO_ENGAGEMENT
// handoff, optimization-plan-receiver.ts); engagement stores them here and reads
// them, in the lead's own transaction, for every lead of the campaign:
//
//   paused targets  `variant:<name>` removes every arm whose copy variant (`a`, `b`) or
//                   template id is <name>; `channel:<name>` every arm on that channel
//                   (email, sms, call, linkedin); `campaign` every arm. A paused arm is
//                   never chosen again, nor used for the sequence's last step. A lead
//                   whose every arm is paused gets no outreach (BLOCKED, with the reason).
//   channel shares  the approved budget split, as each engagement channel's share of the
//                   campaign's new sequences. Each lead's sequence goes on the channel
//                   furthest below its share so far (largest deficit: share × (started + 1)
//                   − its starts; ties to the larger share, then the playbook's order),
//                   among the channels the lead can be reached on that have a share; the
//                   bandit then chooses the copy variant on that channel, and the whole
//                   sequence stays on it. Counts restart with each approved split. A lead
//                   reachable on none of those channels is left to the bandit alone.
//
// The plan's row is locked (FOR UPDATE) while a lead of the campaign is engaged,
// so concurrent leads count their starts one after the other.
import type { CampaignEngagementPlan, Prisma } from '../../db/generated/prisma/client.js';
import type { Channel } from '../../db/generated/prisma/enums.js';
import type { LeadInput } from '../../domain/lead.js';
import type { ContactDecision } from './contact-policy.js';
import { COPY_VARIANTS } from './playbook.js';
import type { VariantArm } from './variants.js';

export const ENGAGEMENT_CHANNELS: readonly Channel[] = ['EMAIL', 'SMS', 'CALL', 'LINKEDIN'];

/** One change the approval makes to the plan. */
export type PlanChange =
  | { kind: 'pause'; target: string; reason: string }
  | { kind: 'channel_shares'; shares: Partial<Record<Channel, number>>; reason: string };

export interface CampaignPlan {
  campaignId: string;
  paused: string[];
  channelShares: Partial<Record<Channel, number>> | null;
  channelStarts: Partial<Record<Channel, number>>;
}

/** The engagement channel a metrics channel name means (`email`, `SMS`, …), or null. */
export function engagementChannel(name: string): Channel | null {
  const upper = name.trim().toUpperCase();
  return (ENGAGEMENT_CHANNELS as readonly string[]).includes(upper) ? (upper as Channel) : null;
}

/**
 * An optimization target (`variant:B`, `channel:email`, `campaign`) as a paused target
 * engagement understands, or null when it names nothing engagement sends: a channel it
 * does not use (`channel:search`), a variant that is neither a copy variant nor a template id.
 */
export function pauseTarget(target: string): string | null {
  if (target === 'campaign') return 'campaign';
  const [kind, ...rest] = target.split(':');
  const name = rest.join(':').trim().toLowerCase();
  if (kind === 'channel') return engagementChannel(name) ? `channel:${name}` : null;
  if (kind === 'variant') return (COPY_VARIANTS as readonly string[]).includes(name) || isTemplateId(name) ? `variant:${name}` : null;
  return null;
}

/** `premium-business-case-email-a`: a first-touch template id (variants.ts templateId). */
function isTemplateId(name: string): boolean {
  return /^[a-z]+-[a-z0-9-]+-(email|sms|call|linkedin)-[a-z]$/.test(name);
}

export function isPaused(arm: Pick<VariantArm, 'channel' | 'template' | 'variant'>, paused: readonly string[]): boolean {
  return paused.some(
    (target) =>
      target === 'campaign' ||
      target === `channel:${arm.channel.toLowerCase()}` ||
      target === `variant:${arm.variant}` ||
      target === `variant:${arm.template.toLowerCase()}`,
  );
}

/** The plan after `changes`: pauses add up; a new split replaces the old one and restarts its counts. */
export function withChanges(plan: CampaignPlan, changes: readonly PlanChange[]): CampaignPlan {
  let next: CampaignPlan = { ...plan, paused: [...plan.paused] };
  for (const change of changes) {
    if (change.kind === 'pause') {
      if (!next.paused.includes(change.target)) next.paused.push(change.target);
    } else next = { ...next, channelShares: change.shares, channelStarts: {} };
  }
  next.paused.sort();
  return next;
}

/** Applies approved changes to a campaign's plan (creating it), in the caller's transaction; returns the plan as stored. */
export async function applyPlanChanges(
  tx: Prisma.TransactionClient,
  campaignId: string,
  changes: readonly PlanChange[],
  handoffId: string,
): Promise<CampaignPlan> {
  await tx.$queryRaw`SELECT 1 FROM "CampaignEngagementPlan" WHERE "campaignId" = ${campaignId} FOR UPDATE`;
  const stored = await tx.campaignEngagementPlan.findUnique({ where: { campaignId } });
  const plan = withChanges(stored ? toPlan(stored) : { campaignId, paused: [], channelShares: null, channelStarts: {} }, changes);
  const data = {
    paused: plan.paused,
    channelShares: plan.channelShares ?? undefined,
    channelStarts: plan.channelStarts,
    handoffId,
  };
  await tx.campaignEngagementPlan.upsert({ where: { campaignId }, create: { campaignId, ...data }, update: data });
  return plan;
}

function toPlan(row: CampaignEngagementPlan): CampaignPlan {
  return {
    campaignId: row.campaignId,
    paused: Array.isArray(row.paused) ? (row.paused as string[]) : [],
    channelShares: (row.channelShares as CampaignPlan['channelShares']) ?? null,
    channelStarts: (row.channelStarts as CampaignPlan['channelStarts']) ?? {},
  };
}

/** What engagement does with the plans of the leads it engages in one transaction. */
export interface CampaignPlans {
  /** The contact decision, refused when the plan leaves the lead no arm. */
  gate(lead: Pick<LeadInput, 'campaignId' | 'persona' | 'email' | 'phone'>, arms: readonly VariantArm[], decision: ContactDecision): ContactDecision;
  /** The arms the lead may get under its campaign's plan (counting the channel start), and why they differ from `arms`. */
  arms<A extends VariantArm>(lead: Pick<LeadInput, 'campaignId'>, arms: readonly A[]): { arms: A[]; note: string | null };
  /** Writes the channel starts counted since `read`. */
  save(tx: Prisma.TransactionClient): Promise<void>;
}

/** The plans of these leads' campaigns, locked for the transaction (sorted: no deadlock between batches). */
export async function readCampaignPlans(tx: Prisma.TransactionClient, leads: readonly Pick<LeadInput, 'campaignId'>[]): Promise<CampaignPlans> {
  const ids = [...new Set(leads.flatMap(({ campaignId }) => (campaignId ? [campaignId] : [])))].sort();
  const rows =
    ids.length === 0
      ? []
      : await tx.$queryRaw<CampaignEngagementPlan[]>`
          SELECT * FROM "CampaignEngagementPlan" WHERE "campaignId" = ANY(${ids}::text[]) ORDER BY "campaignId" FOR UPDATE`;
  const plans = new Map(rows.map((row) => [row.campaignId, toPlan(row)]));
  const counted = new Set<string>();
  const planOf = (lead: Pick<LeadInput, 'campaignId'>) => (lead.campaignId ? plans.get(lead.campaignId) : undefined);

  return {
    gate(lead, arms, decision) {
      const plan = planOf(lead);
      if (!plan || !decision.allowed || arms.length === 0 || arms.some((arm) => !isPaused(arm, plan.paused))) return decision;
      return {
        allowed: false,
        reason: `Every arm this lead could get is paused by campaign ${plan.campaignId}'s approved optimization (${plan.paused.join(', ')}).`,
      };
    },
    arms(lead, arms) {
      const plan = planOf(lead);
      if (!plan) return { arms: [...arms], note: null };
      const open = arms.filter((arm) => !isPaused(arm, plan.paused));
      const notes: string[] = [];
      if (open.length < arms.length) notes.push(`Campaign ${plan.campaignId}'s approved optimization paused ${plan.paused.join(', ')}.`);
      const shares = plan.channelShares;
      if (!shares) return { arms: open, note: notes.join(' ') || null };
      const channels = ENGAGEMENT_CHANNELS.filter((channel) => (shares[channel] ?? 0) > 0 && open.some((arm) => arm.channel === channel));
      if (channels.length === 0) {
        notes.push(`Reachable on none of the channels campaign ${plan.campaignId}'s approved budget split funds: the bandit chose.`);
        return { arms: open, note: notes.join(' ') };
      }
      const channel = nextChannel(channels, shares, plan.channelStarts);
      plan.channelStarts = { ...plan.channelStarts, [channel]: (plan.channelStarts[channel] ?? 0) + 1 };
      counted.add(plan.campaignId);
      notes.push(
        `Campaign ${plan.campaignId}'s approved budget split (${describeShares(shares)}) puts this sequence on ${channel}, ` +
          `the channel furthest below its share (starts since approval: ${describeStarts(plan.channelStarts)}).`,
      );
      return { arms: open.filter((arm) => arm.channel === channel), note: notes.join(' ') };
    },
    async save(tx) {
      for (const campaignId of [...counted].sort()) {
        await tx.campaignEngagementPlan.update({ where: { campaignId }, data: { channelStarts: plans.get(campaignId)!.channelStarts } });
      }
      counted.clear();
    },
  };
}

/** Largest deficit among `channels` (their shares renormalized): see the file's comment. */
export function nextChannel(channels: readonly Channel[], shares: Partial<Record<Channel, number>>, starts: Partial<Record<Channel, number>>): Channel {
  const total = channels.reduce((sum, channel) => sum + (shares[channel] ?? 0), 0);
  const started = channels.reduce((sum, channel) => sum + (starts[channel] ?? 0), 0);
  let best = channels[0]!;
  let bestDeficit = Number.NEGATIVE_INFINITY;
  for (const channel of channels) {
    const share = (shares[channel] ?? 0) / total;
    const deficit = share * (started + 1) - (starts[channel] ?? 0);
    if (deficit > bestDeficit + 1e-12 || (Math.abs(deficit - bestDeficit) <= 1e-12 && share > (shares[best] ?? 0) / total)) {
      best = channel;
      bestDeficit = deficit;
    }
  }
  return best;
}

function describeShares(shares: Partial<Record<Channel, number>>): string {
  return Object.entries(shares)
    .map(([channel, share]) => `${channel} ${Math.round((share ?? 0) * 1000) / 10} %`)
    .join(', ');
}

function describeStarts(starts: Partial<Record<Channel, number>>): string {
  return Object.entries(starts)
    .map(([channel, count]) => `${channel} ${count}`)
    .join(', ');
}
