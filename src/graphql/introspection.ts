// Schema introspection (`__schema`, `__type`) refused, for production
// (GRAPHQL_INTROSPECTION, off by default when NODE_ENV=production): the schema
// is published in the repository (schema.graphql) for those who build against
// it, and an API on the internet need not hand its map to everyone. `__typename`
// still answers. Baton's adapters never introspect: their operations are
// compiled in (src/adapter/operations).
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function useNoIntrospection(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
