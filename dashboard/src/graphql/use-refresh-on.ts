// Live pages without polling: a page's queries run again when a subscription says
// something changed (a lead processed, a handoff moved), at most once a second
// however many events arrive, so a burst of leads costs one refetch.
import { useEffect, useRef } from 'react';
import { type AnyVariables, type TypedDocumentNode, useSubscription } from 'urql';

const THROTTLE_MS = 1_000;

export function useRefreshOn<Data, Variables extends AnyVariables>(
  subscription: TypedDocumentNode<Data, Variables>,
  variables: Variables,
  refresh: () => void,
): void {
  const [{ data }] = useSubscription({ query: subscription, variables });
  const last = useRef(0);
  const pending = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refreshRef = useRef(refresh);
  refreshRef.current = refresh;
  useEffect(() => {
    if (data === undefined) return;
    const wait = last.current + THROTTLE_MS - Date.now();
    if (wait <= 0) {
      last.current = Date.now();
      refreshRef.current();
    } else if (pending.current === undefined) {
      pending.current = setTimeout(() => {
        pending.current = undefined;
        last.current = Date.now();
        refreshRef.current();
      }, wait);
    }
  }, [data]);
  useEffect(() => () => clearTimeout(pending.current), []);
}
