// Sign in with a bearer token: the one Baton printed at start-up (its link signs in
// by itself), one from `npm run token`, or one an identity provider issued; or,
// when Baton names an identity provider, at the provider (oidc-sign-in.tsx).
import { type FormEvent, useState } from 'react';
import { OidcSignIn } from './oidc-sign-in.tsx';
import { lastSignOutReason, storeToken } from './token-store.ts';

export function SignInPage() {
  const reason = lastSignOutReason();
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) storeToken(token);
  };
  return (
    <main id="main" className="sign-in">
      <h1>Sign in to Baton</h1>
      {reason && (
        <p role="alert" className="notice notice-error">
          {reason}
        </p>
      )}
      <OidcSignIn />
      <form onSubmit={submit} className="stack">
        <label htmlFor="token">Bearer token</label>
        <textarea
          id="token"
          name="token"
          rows={5}
          value={token}
          onChange={(event) => setToken(event.target.value)}
          spellCheck={false}
          autoComplete="off"
          required
        />
        <p className="hint">
          The token Baton printed when it started signs you in, and so does its link. On the server's machine,{' '}
          <code>npm run --silent token -- --role viewer</code> mints another (roles: viewer, operator, manager, admin).
        </p>
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}
