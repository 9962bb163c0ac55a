// The dashboard's Content-Security-Policy: its own scripts and styles only (no
// inline script, no eval, no inline style attribute), API calls and the
// graphql-ws socket to Baton itself, and the identity provider's token endpoint
// when sign-in goes through one. Nothing loads from anywhere else.
export function dashboardContentSecurityPolicy(identityProviderOrigins: readonly string[] = []): string {
  const connect = ["'self'", ...identityProviderOrigins].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
