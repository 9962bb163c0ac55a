// Campaign metrics the tests share.
const WEEK_MS = 7 * 86_400_000;

/** Eight weeks on two channels, each spending $10,000 for $5,000 from 250 conversions: ROAS 0.5, significantly below the floor of 1. */
export function losingWeeks() {
  const start = Date.parse('2026-09-07T00:00:00Z');
  return Array.from({ length: 8 }, (_, week) =>
    ['search', 'social'].map((channel) => ({
      channel,
      periodStart: new Date(start + week * WEEK_MS).toISOString(),
      periodEnd: new Date(start + (week + 1) * WEEK_MS).toISOString(),
      impressions: 200_000,
      clicks: 5_000,
      conversions: 250,
      spendUsd: 10_000,
      revenueUsd: 5_000,
    })),
  ).flat();
}
