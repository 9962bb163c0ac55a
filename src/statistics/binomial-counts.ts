// Binomial counts: `successes` out of `trials` (conversions out of visitors, clicks
// out of impressions, replies out of emails sent). Counts may be fractional (e.g.
// weighted or attributed conversions) but must be finite with 0 ≤ successes ≤ trials.

export interface BinomialCounts {
  successes: number;
  trials: number;
}

export function assertBinomialCounts(counts: BinomialCounts, label = 'group'): void {
  const { successes, trials } = counts;
  if (!Number.isFinite(successes) || !Number.isFinite(trials)) {
    throw new RangeError(`${label}: successes and trials must be finite, got ${successes}/${trials}`);
  }
  if (successes < 0 || trials < 0 || successes > trials) {
    throw new RangeError(`${label}: need 0 ≤ successes ≤ trials, got ${successes}/${trials}`);
  }
}
