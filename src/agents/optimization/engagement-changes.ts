// What a manager's approval of a campaign review changes in engagement: each
// approved recommendation as a change to the campaign's engagement plan
// (src/agents/engagement/campaign-plan.ts), or the reason it changes nothing there.
//
//   pause `variant:<v>` / `channel:<c>` / `campaign`  → pause it (when engagement sends it:
//                       copy variants a/b or a template id; channels email, sms, call, linkedin)
//   variant_winner      → pause the loser of the comparison
//   budget_reallocation → the proposed spends of the channels engagement sends on, as
//                       shares of the campaign's new sequences (needs two such channels:
//                       a split of one channel says nothing about engagement's mix)
//   scale, anomaly, insufficient_data → nothing for engagement (scaling buys more media,
//                       which Baton does not buy; the others make no claim to act on)
import { pauseTarget, engagementChannel, type PlanChange } from '../engagement/campaign-plan.js';
import type { Channel } from '../../db/generated/prisma/enums.js';
import type { Recommendation } from './recommendation.js';

export interface EngagementChanges {
  changes: PlanChange[];
  /** Approved recommendations that change nothing in engagement, and why. */
  unchanged: { type: Recommendation['type']; target: string; why: string }[];
}

export function engagementChanges(recommendations: readonly Recommendation[]): EngagementChanges {
  const changes: PlanChange[] = [];
  const unchanged: EngagementChanges['unchanged'] = [];
  const skip = (r: Recommendation, why: string) => unchanged.push({ type: r.type, target: r.target, why });
  const pause = (r: Recommendation, target: string) => {
    const paused = pauseTarget(target);
    // A variant both losing money and losing its test is paused once.
    if (paused && changes.some((change) => change.kind === 'pause' && change.target === paused)) return;
    if (paused) changes.push({ kind: 'pause', target: paused, reason: r.summary });
    else skip(r, `${target} is not an arm engagement sends (channels email, sms, call, linkedin; copy variants a, b or a template id)`);
  };
  for (const r of recommendations) {
    if (r.type === 'pause') pause(r, r.target);
    else if (r.type === 'variant_winner') {
      const winner = r.target.slice('variant:'.length);
      const { control, variant } = r.evidence;
      const loser = [control, variant].find((name) => typeof name === 'string' && name !== winner);
      if (typeof loser === 'string') pause(r, `variant:${loser}`);
      else skip(r, 'the comparison names no losing variant');
    } else if (r.type === 'budget_reallocation') {
      const shares = channelShares(r);
      if (shares) changes.push({ kind: 'channel_shares', shares, reason: r.summary });
      else skip(r, 'fewer than two of its channels are ones engagement sends on (email, sms, call, linkedin)');
    } else if (r.type === 'scale') skip(r, 'scaling raises media spend, which engagement does not buy');
    else skip(r, 'it makes no change to act on');
  }
  return { changes, unchanged };
}

/** Each engagement channel's share of the proposed spend (`channel.<name>.proposed_spend_usd`), or null. */
function channelShares(r: Recommendation): Partial<Record<Channel, number>> | null {
  const spends = new Map<Channel, number>();
  for (const [key, value] of Object.entries(r.evidence)) {
    const match = /^channel\.(.+)\.proposed_spend_usd$/.exec(key);
    const channel = match ? engagementChannel(match[1]!) : null;
    if (channel && typeof value === 'number' && value > 0) spends.set(channel, (spends.get(channel) ?? 0) + value);
  }
  if (spends.size < 2) return null;
  const total = [...spends.values()].reduce((sum, spend) => sum + spend, 0);
  return Object.fromEntries([...spends].map(([channel, spend]) => [channel, spend / total]));
}
