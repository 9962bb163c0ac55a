// The README's table of who may call what, derived from the schema itself: each
// root field's Pothos `authScopes` (src/schema/*.ts) → the roles granting that
// permission (src/auth/roles.ts), and the adapter operations (REST route,
// JSON-RPC method, MCP tool) whose GraphQL document selects that field.
import { type GraphQLObjectType, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { ADAPTER_OPERATIONS } from '../../src/adapter/operations/all-operations.js';
import { type Permission, rolesGranting } from '../../src/auth/roles.js';
import { schema } from '../../src/schema/index.js';

export const ROLE_TABLE_START = '<!-- role-table:start (generated: WRITE_ROLE_TABLE=1 npx vitest run tests/unit/role-table.test.ts) -->';
export const ROLE_TABLE_END = '<!-- role-table:end -->';

/** A root field's permissions: its `authScopes` object's true keys (any of them suffices). */
function permissionsOf(type: GraphQLObjectType, name: string): Permission[] | 'none' {
  const options = type.getFields()[name]!.extensions as { pothosOptions?: { authScopes?: unknown } };
  const scopes = options.pothosOptions?.authScopes;
  if (scopes === undefined) return 'none';
  if (typeof scopes !== 'object' || scopes === null) throw new Error(`${type.name}.${name}: authScopes is a function; the table cannot read it`);
  return Object.entries(scopes)
    .filter(([, on]) => on === true)
    .map(([scope]) => scope as Permission);
}

/** The root fields an adapter operation's document selects. */
function rootFieldsOf(document: unknown): { operation: string; fields: string[] } {
  const definition = parse(String(document)).definitions.find((node): node is OperationDefinitionNode => node.kind === Kind.OPERATION_DEFINITION)!;
  const fields = definition.selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []));
  return { operation: definition.operation, fields };
}

export function roleTable(): string {
  const doors = new Map<string, { rest: string[]; jsonRpc: string[]; mcp: string[] }>();
  for (const operation of ADAPTER_OPERATIONS) {
    const { operation: kind, fields } = rootFieldsOf(operation.document);
    const typeName = kind === 'mutation' ? 'Mutation' : kind === 'subscription' ? 'Subscription' : 'Query';
    for (const field of fields) {
      const key = `${typeName}.${field}`;
      const entry = doors.get(key) ?? { rest: [], jsonRpc: [], mcp: [] };
      if (operation.rest) entry.rest.push(`\`${operation.rest.method} ${operation.rest.path}\``);
      if (operation.jsonRpc) entry.jsonRpc.push(`\`${operation.jsonRpc.method}\``);
      if (operation.mcp) entry.mcp.push(`\`${operation.mcp.name}\``);
      doors.set(key, entry);
    }
  }
  const rows = ['| GraphQL field | REST | JSON-RPC | MCP tool | Permission | Roles |', '| --- | --- | --- | --- | --- | --- |'];
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    for (const name of Object.keys(type.getFields()).sort()) {
      const permissions = permissionsOf(type, name);
      const roles = permissions === 'none' ? 'any valid token' : [...new Set(permissions.flatMap(rolesGranting))].join(', ');
      const entry = doors.get(`${type.name}.${name}`);
      const cell = (values: string[] | undefined) => (values && values.length > 0 ? [...new Set(values)].join(', ') : '');
      rows.push(
        `| \`${type.name}.${name}\` | ${cell(entry?.rest)} | ${cell(entry?.jsonRpc)} | ${cell(entry?.mcp)} | ${permissions === 'none' ? '' : permissions.map((p) => `\`${p}\``).join(' or ')} | ${roles} |`,
      );
    }
  }
  return rows.join('\n');
}
