// `me`: who the token says the caller is, and what its roles allow, from the same
// table the schema's auth scopes check. The dashboard signs in with it and offers
// an action only when its permission is listed; a request without a token is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../src/auth/roles.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let baton: TestApp;

beforeAll(async () => {
  baton = await startTestApp({ env: { CONSOLIDATION_INTERVAL_S: '0' } });
});
afterAll(() => baton?.stop());

const ME = 'query { me { subject roles permissions } }';

describe('me', () => {
  it.each<[Role[], string[]]>([
    [['viewer'], ['read']],
    [['operator'], ['read', 'processLeads', 'supplyContext']],
    [['manager'], ['read', 'resolveEscalations']],
    [
      ['viewer', 'manager'],
      ['read', 'resolveEscalations'],
    ],
    [['admin'], ['read', 'processLeads', 'supplyContext', 'resolveEscalations', 'admin']],
  ])('tells roles %j what they may do: %j', async (roles, permissions) => {
    const { status, body } = await baton.graphql<{ me: { subject: string; roles: string[]; permissions: string[] } }, never>(ME, undefined, {
      token: await baton.token(...roles),
    });
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data!.me.roles).toEqual(roles);
    expect(body.data!.me.permissions).toEqual(permissions);
    expect(body.data!.me.subject).not.toBe('');
  });

  it('refuses a caller without a token', async () => {
    const { status } = await baton.graphql(ME, undefined, { token: null });
    expect(status).toBe(401);
  });
});
