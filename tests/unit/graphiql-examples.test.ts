// The example tabs GraphiQL opens with must run against the current schema.
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GRAPHIQL_TABS } from '../../src/graphql/graphiql-examples.js';
import { schema } from '../../src/schema/index.js';

describe('GraphiQL example tabs', () => {
  it.each(GRAPHIQL_TABS.map((tab) => [tab.query.split('\n', 1)[0]!, tab.query]))('%s is valid against the schema', (_title, query) => {
    expect(validate(schema, parse(query)).map((error) => error.message)).toEqual([]);
  });
});
