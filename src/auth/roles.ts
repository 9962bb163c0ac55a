// Who may do what. Roles come from the JWT `roles` claim; permissions are what
// the schema checks (src/schema/builder.ts auth scopes).
export const ROLES = ['viewer', 'operator', 'agent', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  subject: string;
  roles: Role[];
}

/** supplyContext: answer the quality gate's request for a handoff's missing context (people, not agents). */
export type Permission = 'read' | 'processLeads' | 'supplyContext' | 'admin';

const GRANTS: Record<Role, readonly Permission[]> = {
  viewer: ['read'],
  operator: ['read', 'processLeads', 'supplyContext'],
  agent: ['read', 'processLeads'],
  admin: ['read', 'processLeads', 'supplyContext', 'admin'],
};

export function can(principal: Principal, permission: Permission): boolean {
  return principal.roles.some((role) => GRANTS[role].includes(permission));
}
