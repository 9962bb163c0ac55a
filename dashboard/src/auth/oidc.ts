// Sign-in at the identity provider: the OpenID Connect authorization code flow
// with PKCE, as a public client (no secret can be kept in a browser). oauth4webapi
// does the protocol: discovery, the verifier and its S256 challenge, state and
// nonce, the response's checks, the code exchange and the ID token's claims.
// The access token it brings back is what Baton verifies (its `aud` is
// JWT_AUDIENCE); the ID token only proves this sign-in was the one we started.
import * as oauth from 'oauth4webapi';
import type { DashboardConfigDocument, DashboardOidcSettings } from '../../../src/dashboard/dashboard-config-shape.ts';

/** Where the provider sends the browser back: a page Baton serves, which finishes the sign-in. */
const CALLBACK_PATH = '/sign-in';
/** The flow's secrets for the one tab that started it, until the provider sends it back. */
const PENDING_KEY = 'baton.oidc.pending';

interface PendingSignIn {
  codeVerifier: string;
  state: string;
  nonce: string;
  /** The page the user was on, to return to once signed in. */
  returnTo: string;
}

/** The dashboard's sign-in settings from Baton (GET /dashboard-config.json); null when no provider is configured. */
export async function fetchOidcSettings(): Promise<DashboardOidcSettings | null> {
  const response = await fetch('/dashboard-config.json', { headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`Baton answered ${response.status} for its sign-in settings.`);
  const document = (await response.json()) as DashboardConfigDocument;
  return document.oidc;
}

/** The provider's host as people know it (`sso.example.com`), for the sign-in button. */
export function providerName(settings: DashboardOidcSettings): string {
  return new URL(settings.issuer).host;
}

/** Goes to the provider's sign-in page; it comes back to /sign-in with a code. */
export async function startSignIn(settings: DashboardOidcSettings): Promise<void> {
  const as = await discover(settings);
  if (!as.authorization_endpoint) throw new Error(`${settings.issuer} names no authorization endpoint in its discovery document.`);
  const pending: PendingSignIn = {
    codeVerifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    returnTo: window.location.pathname === CALLBACK_PATH ? '/' : window.location.pathname + window.location.search,
  };
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', settings.scopes);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(pending.codeVerifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', pending.state);
  url.searchParams.set('nonce', pending.nonce);
  if (settings.resource) url.searchParams.set('resource', settings.resource);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  window.location.assign(url.href);
}

/** True when this address is the provider sending the browser back (a code or an error, with a state). */
export function isSignInCallback(): boolean {
  const params = new URLSearchParams(window.location.search);
  return window.location.pathname === CALLBACK_PATH && params.has('state') && (params.has('code') || params.has('error'));
}

export interface CompletedSignIn {
  accessToken: string;
  returnTo: string;
}

let completion: Promise<CompletedSignIn> | undefined;

/**
 * Checks the provider's answer against the sign-in this tab started and exchanges its code for
 * tokens. Once per page load: a code is good for one exchange, and a second render must not spend it.
 */
export function completeSignIn(settings: DashboardOidcSettings): Promise<CompletedSignIn> {
  completion ??= exchangeCode(settings);
  return completion;
}

async function exchangeCode(settings: DashboardOidcSettings): Promise<CompletedSignIn> {
  const callback = new URL(window.location.href);
  const pending = takePending();
  // The code and state leave the address bar whatever happens: they are spent, or not ours.
  history.replaceState(null, '', CALLBACK_PATH);
  if (!pending) throw new Error('This sign-in was not started in this tab (or it was already finished). Sign in again.');
  const as = await discover(settings);
  const client: oauth.Client = { client_id: settings.clientId };
  const params = oauth.validateAuthResponse(as, client, callback, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.codeVerifier, {
    ...(settings.resource ? { additionalParameters: { resource: settings.resource } } : {}),
    ...insecureOnLoopback(settings),
  });
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: pending.nonce, requireIdToken: true });
  return { accessToken: tokens.access_token, returnTo: pending.returnTo };
}

/** What went wrong, in words for the sign-in page: the provider's own error first. */
export function signInFailure(error: unknown): string {
  if (error instanceof oauth.AuthorizationResponseError) {
    const refusal = error.error === 'access_denied' ? 'You (or the identity provider) refused the sign-in' : `The identity provider answered ${error.error}`;
    return `${refusal}${error.error_description ? `: ${error.error_description}` : ''}.`;
  }
  if (error instanceof oauth.ResponseBodyError) {
    return `The identity provider's token endpoint refused the code (${error.error}${error.error_description ? `: ${error.error_description}` : ''}).`;
  }
  if (error instanceof TypeError) return `The identity provider could not be reached (${error.message}).`;
  return error instanceof Error ? error.message : String(error);
}

function redirectUri(): string {
  return `${window.location.origin}${CALLBACK_PATH}`;
}

function takePending(): PendingSignIn | null {
  const stored = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  return stored ? (JSON.parse(stored) as PendingSignIn) : null;
}

async function discover(settings: DashboardOidcSettings): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(settings.issuer);
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecureOnLoopback(settings) });
  return oauth.processDiscoveryResponse(issuer, response);
}

/** oauth4webapi insists on https; a provider on this machine (development, the tests) speaks http, and nothing crosses a network. */
function insecureOnLoopback(settings: DashboardOidcSettings): { [oauth.allowInsecureRequests]?: true } {
  const { protocol, hostname } = new URL(settings.issuer);
  const loopback = hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
  return protocol === 'http:' && loopback ? { [oauth.allowInsecureRequests]: true } : {};
}
