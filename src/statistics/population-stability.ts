// The population stability index (PSI) of a categorical attribute: how far the
// recent mix of values moved from a reference mix,
//   PSI = Σ_v (r_v − e_v) · ln(r_v / e_v)
// with r and e the recent and reference shares (a symmetrized Kullback–Leibler
// divergence). The usual reading: below 0.1 no shift, 0.1–0.25 moderate, above
// 0.25 large. Shares are smoothed by half an observation per value (Jeffreys) so a
// value seen on one side only costs a finite amount.

export function populationStabilityIndex(reference: ReadonlyMap<string, number>, recent: ReadonlyMap<string, number>): number {
  const values = new Set([...reference.keys(), ...recent.keys()]);
  if (values.size === 0) return 0;
  const smoothing = 0.5;
  const referenceTotal = [...reference.values()].reduce((sum, n) => sum + n, 0) + smoothing * values.size;
  const recentTotal = [...recent.values()].reduce((sum, n) => sum + n, 0) + smoothing * values.size;
  let index = 0;
  for (const value of values) {
    const e = ((reference.get(value) ?? 0) + smoothing) / referenceTotal;
    const r = ((recent.get(value) ?? 0) + smoothing) / recentTotal;
    index += (r - e) * Math.log(r / e);
  }
  return index;
}
