// Baton's layers, top to bottom. A module may import its own layer and the ones
// below it, never one above: the tree shows the architecture (ARCHITECTURE.md,
// "The folder is the door") and CI keeps it true (`npm run check`).
//
//   entry    src/main.ts, src/sidecar.ts, src/migrate.ts, src/auth/token-cli.ts
//   app      src/app/          how each process is assembled from configuration
//   doors    src/graphql/, src/rest/, src/jsonrpc/, src/mcp/, src/dashboard/ (serves dashboard/)
//   adapter  src/adapter/      the operations REST, JSON-RPC and MCP share
//   schema   src/schema/       the GraphQL schema (Pothos)
//   agents   src/agents/
//   memory   src/memory/
//   infra    src/db/, src/events/, src/http/, src/auth/, src/redis/
//   base     src/domain/, src/statistics/, src/config.ts, src/errors.ts, src/logger.ts, src/version.ts
const LAYERS = {
  entry: '^src/(main|sidecar|migrate)\\.ts$|^src/auth/token-cli\\.ts$',
  app: '^src/app/',
  doors: '^src/(graphql|rest|jsonrpc|mcp|dashboard)/',
  adapter: '^src/adapter/',
  schema: '^src/schema/',
  agents: '^src/agents/',
  memory: '^src/memory/',
  infra: '^src/(db|events|http|auth|redis)/',
};
const ORDER = ['entry', 'app', 'doors', 'adapter', 'schema', 'agents', 'memory', 'infra'];
const GENERATED = '^src/db/generated/';

/** `layer` may not import any layer above it. */
const upward = ORDER.slice(1).map((layer, index) => ({
  name: `${layer}-imports-upward`,
  comment: `${layer} may import only ${ORDER.slice(index + 2).join(', ') || 'nothing above base'} and base`,
  severity: 'error',
  from: { path: LAYERS[layer], pathNot: layer === 'infra' ? LAYERS.entry : undefined },
  to: {
    path: ORDER.slice(0, index + 1)
      .map((above) => LAYERS[above])
      .join('|'),
  },
}));

module.exports = {
  forbidden: [
    ...upward,
    {
      name: 'base-imports-upward',
      comment: 'domain, statistics and the root modules depend on nothing of Baton but each other and generated types',
      severity: 'error',
      from: { path: '^src/(domain|statistics)/|^src/(config|errors|logger|version)\\.ts$' },
      to: { path: '^src/', pathNot: `^src/(domain|statistics)/|^src/(config|errors|logger|version)\\.ts$|${GENERATED}` },
    },
    {
      name: 'adapter-knows-graphql-only',
      comment: 'The adapter reaches the agents through GraphQL operations, never by importing them',
      severity: 'error',
      from: { path: LAYERS.adapter },
      to: { path: '^src/(schema|agents|memory|db|events)/', pathNot: GENERATED },
    },
    {
      name: 'doors-are-independent',
      comment: 'A door does not reach into another (MCP alone rides on JSON-RPC: they share the /mcp endpoint)',
      severity: 'error',
      from: { path: '^src/(graphql|rest|jsonrpc)/' },
      to: { path: '^src/(graphql|rest|jsonrpc|mcp)/', pathNot: '^src/$1/' },
    },
    {
      name: 'mcp-rides-on-jsonrpc-only',
      severity: 'error',
      from: { path: '^src/mcp/' },
      to: { path: '^src/(graphql|rest)/' },
    },
    {
      name: 'no-circular',
      comment: 'Modules that need each other at run time (a cycle through a type-only import is harmless)',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    { name: 'not-to-test', comment: 'Production code never imports tests', severity: 'error', from: { path: '^src/' }, to: { path: '^tests/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // swc parses TypeScript for the cruiser (TypeScript 7's native compiler has no JavaScript API)
    // and reports every import as written, type-only ones included, so an upward `import type` is
    // caught too. tsPreCompilationDeps would ask for that API and only warn without it.
    parser: 'swc',
    tsPreCompilationDeps: false,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
    exclude: { path: GENERATED },
  },
};
