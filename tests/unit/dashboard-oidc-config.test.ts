// The dashboard's sign-in at the identity provider, as configured: a public
// client of JWT_ISSUER (DASHBOARD_OIDC_CLIENT_ID), only where Baton verifies that
// provider's tokens, what /dashboard-config.json then says, and the origin the
// pages' CSP lets scripts call.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { dashboardContentSecurityPolicy } from '../../src/dashboard/content-security-policy.js';
import { dashboardConfigDocument, identityProviderOriginsOf } from '../../src/dashboard/dashboard-config.js';

const PROVIDER = {
  JWT_SECRET: 'a-secret-that-is-long-enough-for-hs256!!',
  JWT_JWKS_URL: 'https://sso.example.com/realms/acme/protocol/openid-connect/certs',
  JWT_ISSUER: 'https://sso.example.com/realms/acme',
  JWT_AUDIENCE: 'baton',
};

describe('DASHBOARD_OIDC_CLIENT_ID', () => {
  it('is off when unset: the document says null and the CSP names no provider', () => {
    const config = loadConfig(PROVIDER);
    expect(config.dashboardOidc).toBeUndefined();
    expect(dashboardConfigDocument(config.dashboardOidc)).toEqual({ oidc: null });
    expect(dashboardContentSecurityPolicy(identityProviderOriginsOf(config.dashboardOidc))).toContain("connect-src 'self';");
  });

  it('names the issuer, the client and the default scopes; the CSP lets scripts reach the issuer origin', () => {
    const config = loadConfig({ ...PROVIDER, DASHBOARD_OIDC_CLIENT_ID: 'baton-dashboard' });
    expect(dashboardConfigDocument(config.dashboardOidc)).toEqual({
      oidc: { issuer: 'https://sso.example.com/realms/acme', clientId: 'baton-dashboard', scopes: 'openid profile' },
    });
    expect(dashboardContentSecurityPolicy(identityProviderOriginsOf(config.dashboardOidc))).toContain("connect-src 'self' https://sso.example.com;");
  });

  it('takes other scopes and a resource indicator', () => {
    const config = loadConfig({
      ...PROVIDER,
      DASHBOARD_OIDC_CLIENT_ID: 'baton-dashboard',
      DASHBOARD_OIDC_SCOPES: ' openid   email ',
      DASHBOARD_OIDC_RESOURCE: 'https://baton.example.com/api',
    });
    expect(config.dashboardOidc).toEqual({
      issuer: 'https://sso.example.com/realms/acme',
      clientId: 'baton-dashboard',
      scopes: 'openid email',
      resource: 'https://baton.example.com/api',
    });
  });

  it('needs the identity provider whose tokens Baton verifies', () => {
    expect(() => loadConfig({ DASHBOARD_OIDC_CLIENT_ID: 'baton-dashboard' })).toThrow(
      /DASHBOARD_OIDC_CLIENT_ID: needs JWT_JWKS_URL, JWT_ISSUER and JWT_AUDIENCE/,
    );
  });

  it('refuses scopes without openid, and a resource that is not a URL', () => {
    expect(() => loadConfig({ ...PROVIDER, DASHBOARD_OIDC_CLIENT_ID: 'baton-dashboard', DASHBOARD_OIDC_SCOPES: 'profile' })).toThrow(
      /DASHBOARD_OIDC_SCOPES: must include openid/,
    );
    expect(() => loadConfig({ ...PROVIDER, DASHBOARD_OIDC_CLIENT_ID: 'baton-dashboard', DASHBOARD_OIDC_RESOURCE: 'baton' })).toThrow(/DASHBOARD_OIDC_RESOURCE/);
  });
});
