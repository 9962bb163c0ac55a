// A token lives on in a long-lived socket (graphql-ws, JSON-RPC over WebSocket)
// only until its `exp`: the socket is closed then, so a client holding it must
// reconnect with a fresh token. Each operation checks the token again as well
// (the sockets' own modules), so this timer only ends sockets that stay quiet.

/** setTimeout's longest delay (about 24.8 days); a later `exp` re-arms the timer. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** Calls `expire` once `expiresAtMs` (epoch ms) has passed; the returned function cancels it. */
export function whenExpired(expiresAtMs: number, expire: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const left = expiresAtMs - Date.now();
    if (left <= 0) {
      timer = undefined;
      expire();
      return;
    }
    // Never earlier than `exp`: a timer that fires a little early is simply re-armed.
    timer = setTimeout(arm, Math.min(left, LONGEST_TIMER_MS)).unref();
  };
  arm();
  return () => clearTimeout(timer);
}
