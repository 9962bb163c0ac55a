// A mutation that can fail in an expected way answers a union: its payload, or a
// typed error (src/schema/errors.ts) selected with `...ErrorFields`.
// runAdapterOperation turns a typed error into the caller's failure before any
// mapper runs, so a mapper takes the payload alone: `payload(data.recordInteraction, 'Interaction')`.

/** The result's payload member, narrowed by `__typename`; anything else is a bug, not a caller's failure. */
export function payload<TResult extends { __typename: string }, TName extends TResult['__typename']>(
  result: TResult,
  typename: TName,
): Extract<TResult, { __typename: TName }> {
  if (result.__typename !== typename) throw new Error(`Expected a ${typename} result, got ${result.__typename}`);
  return result as Extract<TResult, { __typename: TName }>;
}
