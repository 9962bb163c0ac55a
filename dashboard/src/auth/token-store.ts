// Where the dashboard keeps the caller's bearer token: this browser's localStorage,
// so every tab shares one sign-in and a reload keeps it. The token never goes in a
// URL the server sees: the sign-in link printed at start-up carries it in the
// fragment (#token=…), which browsers do not send.
const KEY = 'baton.token';
const listeners = new Set<() => void>();
/** Why the dashboard signed out by itself (a refused or expired token), for the sign-in page to say. */
let signOutReason: string | undefined;

export function currentToken(): string | null {
  return localStorage.getItem(KEY);
}

export function storeToken(token: string): void {
  signOutReason = undefined;
  localStorage.setItem(KEY, token.trim());
  for (const listener of listeners) listener();
}

/** Signs out; `reason` when Baton, not the user, ended the session. */
export function clearToken(reason?: string): void {
  signOutReason = reason;
  localStorage.removeItem(KEY);
  for (const listener of listeners) listener();
}

export function lastSignOutReason(): string | undefined {
  return signOutReason;
}

/** For useSyncExternalStore: another tab signing out signs this one out too. */
export function onTokenChange(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** A token handed over in the page's fragment (`/#token=…`, the link Baton prints at start-up): kept, then removed from the address bar. */
export function adoptTokenFromFragment(): void {
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (!token) return;
  storeToken(token);
  history.replaceState(null, '', window.location.pathname + window.location.search);
}
