// Which packet fields an operator can supply for each quality requirement the
// gate found uncovered (handoff-quality.ts). A requirement with none cannot be
// filled by hand: a stale triage verdict needs the lead triaged again, a
// campaign without metrics needs its metrics ingested first.
export const SUPPLIABLE_FIELDS: Readonly<Record<string, readonly SuppliableField[]>> = {
  reachableChannel: ['email', 'phone'],
  persona: ['persona'],
};

/** The lead fields provideHandoffContext accepts. */
export type SuppliableField = 'email' | 'phone' | 'persona' | 'source';

/** The fields an operator could supply for these uncovered requirements, each once, in order. */
export function suppliableFields(missing: readonly string[]): SuppliableField[] {
  return [...new Set(missing.flatMap((name) => SUPPLIABLE_FIELDS[name] ?? []))];
}
