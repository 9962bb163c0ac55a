// The triage model's drift state in words: whether the market still converts the
// way the model learned, and while it does not, since when the model relearns it.
import { formatDateTime } from '../../components/format.ts';
import type { OverviewData } from './overview-data.ts';

export function driftState(drift: OverviewData['triageDrift']): { value: string; detail: string } {
  if (drift.state === 'WARMING_UP') return { value: 'Warming up', detail: 'too few outcomes yet to tell whether the market changes' };
  if (drift.state === 'STABLE') return { value: 'Stable', detail: 'recent outcomes convert the way the model predicts' };
  // The open episode says when the drift was found; the check, where the model learns from.
  const open = drift.episodes.find((episode) => episode.recoveredAt === null);
  const detectedAt = open?.detectedAt ?? drift.check?.checkedAt;
  const since = drift.check?.changePointAt ?? open?.changePointAt;
  const changed = drift.check?.changedAttributes.map((attribute) => ATTRIBUTE_NAMES[attribute] ?? attribute) ?? [];
  return {
    value: 'Drift detected',
    detail: `${formatDateTime(detectedAt)} — learning the new market since ${formatDateTime(since)}${changed.length ? ` (relearning ${changed.join(', ')})` : ''}`,
  };
}

/** The lead attributes in a marketer's words. */
const ATTRIBUTE_NAMES: Record<string, string> = {
  industry: 'industry',
  companySize: 'company size',
  persona: 'persona',
  source: 'source',
  email: 'having an email',
  phone: 'having a phone',
};
