// What GET /dashboard-config.json answers, declared once for the server that
// writes it and the dashboard that reads it before anyone signs in (no imports:
// the dashboard's browser build type-checks this file too).

/** The dashboard's public OpenID Connect client: sign-in with the code flow and PKCE, no secret. */
export interface DashboardOidcSettings {
  /** The provider's issuer identifier; its discovery document is `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  /** Space-separated, `openid` among them. */
  scopes: string;
  /** An RFC 8707 resource indicator to send, when the provider needs one to issue a token for Baton. */
  resource?: string;
}

export interface DashboardConfigDocument {
  /** null: no identity provider sign-in; the sign-in page takes a pasted token only. */
  oidc: DashboardOidcSettings | null;
}

export const DASHBOARD_CONFIG_PATH = '/dashboard-config.json';
