// Who may do what. Roles come from the JWT `roles` claim; permissions are what
// the schema checks (src/schema/builder.ts auth scopes).
export const ROLES = ['viewer', 'operator', 'agent', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  roles: Role[];
}

/**
 * `supplyContext`: answer the quality gate's request for a handoff's missing context (people, not agents).
 * `resolveEscalations`: decide the manager queue (approving an optimization applies it to engagement).
 */
export type Permission = 'read' | 'processLeads' | 'supplyContext' | 'resolveEscalations' | 'admin';

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  operator: ['read', 'processLeads', 'supplyContext'],
  agent: ['read', 'processLeads'],
  // A manager reads and decides escalations; it does not run the agents or administer Baton.
  manager: ['read', 'resolveEscalations'],
  admin: ['read', 'processLeads', 'supplyContext', 'resolveEscalations', 'admin'],
};

export function can(principal: Principal, permission: Permission): boolean {
  return principal.roles.some((role) => GRANTS[role].includes(permission));
}

/** The roles that grant a permission, for a refusal that says what would be allowed. */
export function rolesGranting(permission: Permission): Role[] {
  return ROLES.filter((role) => GRANTS[role].includes(permission));
}
