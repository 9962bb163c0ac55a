// The identity provider's part of the sign-in page: a button that starts the
// code flow when Baton names a provider (GET /dashboard-config.json), and the
// return from the provider, which finishes it and goes back to the page the
// user was on. Whatever fails is said in the page, in the provider's words.
import { useEffect, useState } from 'react';
import type { DashboardOidcSettings } from '../../../src/dashboard/dashboard-config-shape.ts';
import { completeSignIn, fetchOidcSettings, isSignInCallback, providerName, signInFailure, startSignIn } from './oidc.ts';
import { storeToken } from './token-store.ts';
import './oidc-sign-in.css';

type State =
  | { step: 'loading' }
  | { step: 'none' }
  | { step: 'ready'; settings: DashboardOidcSettings }
  | { step: 'redirecting'; settings: DashboardOidcSettings }
  | { step: 'finishing' };

export function OidcSignIn() {
  const [state, setState] = useState<State>(() => (isSignInCallback() ? { step: 'finishing' } : { step: 'loading' }));
  const [failure, setFailure] = useState<string>();

  useEffect(() => {
    let current = true;
    const returning = isSignInCallback();
    (async () => {
      const settings = await fetchOidcSettings();
      if (!current) return;
      if (!returning) return setState(settings ? { step: 'ready', settings } : { step: 'none' });
      if (!settings) throw new Error('Baton no longer names an identity provider to sign in with. Paste a token instead.');
      try {
        const { accessToken, returnTo } = await completeSignIn(settings);
        // The page first, then the token: the signed-in app opens where the user was.
        history.replaceState(null, '', returnTo);
        storeToken(accessToken);
      } finally {
        if (current) setState({ step: 'ready', settings });
      }
    })().catch((error: unknown) => {
      if (current) setFailure(signInFailure(error));
    });
    return () => {
      current = false;
    };
  }, []);

  const signIn = (settings: DashboardOidcSettings) => {
    setFailure(undefined);
    setState({ step: 'redirecting', settings });
    startSignIn(settings).catch((error: unknown) => {
      setFailure(signInFailure(error));
      setState({ step: 'ready', settings });
    });
  };

  return (
    <>
      {failure && (
        <p role="alert" className="notice notice-error">
          Signing in at the identity provider failed. {failure}
        </p>
      )}
      {state.step === 'finishing' && !failure && <p role="status">Finishing sign-in…</p>}
      {(state.step === 'ready' || state.step === 'redirecting') && (
        <>
          <section className="stack oidc-sign-in" aria-labelledby="oidc-heading">
            <h2 id="oidc-heading">With your organisation's account</h2>
            <button type="button" onClick={() => signIn(state.settings)} disabled={state.step === 'redirecting'}>
              Sign in with {providerName(state.settings)}
            </button>
          </section>
          <h2>Or with a token</h2>
        </>
      )}
    </>
  );
}
