// me: who the token says the caller is. The dashboard signs in with it (a token
// that does not verify is refused here, before any page loads) and shapes what it
// offers by the permissions, which come from the same table the schema checks.
import { can, type Permission, type Principal } from '../auth/roles.js';
import { builder } from './builder.js';

const PERMISSIONS: readonly Permission[] = ['read', 'processLeads', 'supplyContext', 'resolveEscalations', 'admin'];

const PrincipalRef = builder.objectRef<Principal>('Principal').implement({
  description: 'The caller, as its token says.',
  fields: (t) => ({
    subject: t.exposeString('subject', { description: "The token's `sub`." }),
    roles: t.exposeStringList('roles', { description: 'viewer, operator, agent, manager or admin.' }),
    permissions: t.stringList({
      description: 'What the roles allow: read, processLeads, supplyContext, resolveEscalations, admin (README, "Roles").',
      resolve: (principal) => PERMISSIONS.filter((permission) => can(principal, permission)),
    }),
  }),
});

builder.queryField('me', (t) =>
  t.field({
    type: PrincipalRef,
    description: 'Who the caller is and what its roles allow.',
    authScopes: { read: true },
    resolve: (_root, _args, { principal }) => principal,
  }),
);
