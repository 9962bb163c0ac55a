// Every Cypher statement the Neo4j semantic memory runs (the exported constants
// of src/memory/semantic/cypher.ts) must parse and pass semantic analysis, with
// no Neo4j server: checked with Neo4j's own Cypher language support
// (@neo4j-cypher/language-support: the ANTLR grammar plus Neo4j's semantic
// analysis compiled to JavaScript), given the parameters each statement is sent.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as cypher from '../../src/memory/semantic/cypher.js';

// The package's ESM build uses extension-less imports that Node cannot resolve; its CommonJS build loads fine.
const { lintCypherQuery, parseStatementsStrs } = createRequire(import.meta.url)(
  '@neo4j-cypher/language-support',
) as typeof import('@neo4j-cypher/language-support');

/** Values of the shape the implementation sends for each parameter name. */
const SAMPLE_PARAMETERS: Record<string, unknown> = {
  id: 'industry:technology',
  ids: ['industry:technology', 'persona:decision-maker'],
  fromId: 'segment:technology/decision-maker',
  toId: 'channel:email',
  predicate: 'RESPONDS_ON',
  kind: 'Industry',
  nameContains: 'tech',
  limit: 10,
  minEvidence: 0,
  leadId: 'lead-001',
  needle: '"leadId":"lead-001"',
  now: '2026-11-26T12:00:00.000Z',
  nodes: [{ id: 'industry:technology', kind: 'Industry', name: 'Technology', properties: '{"enum":"TECHNOLOGY"}' }],
  facts: [
    {
      subjectId: 'segment:technology/decision-maker',
      predicate: 'RESPONDS_ON',
      objectId: 'channel:email',
      weight: 0.044,
      evidenceCount: 0,
      provenance: 'seed',
    },
  ],
};

const SCHEMA = {
  labels: ['Knowledge'],
  relationshipTypes: ['FACT'],
  propertyKeys: ['id', 'kind', 'name', 'properties', 'predicate', 'weight', 'evidenceCount', 'provenance', 'updatedAt'],
};

/** The diagnostics for one statement, given sample values for the parameters it uses. */
function lint(statement: string): { severity: number | undefined; message: string }[] {
  const used = [...statement.matchAll(/\$([A-Za-z_][A-Za-z0-9_]*)/g)].map((match) => match[1] as string);
  const missing = used.filter((name) => !(name in SAMPLE_PARAMETERS));
  if (missing.length > 0) throw new Error(`No sample value for parameter(s) ${missing.join(', ')}: add them to SAMPLE_PARAMETERS`);
  const parameters = Object.fromEntries(used.map((name) => [name, SAMPLE_PARAMETERS[name]]));
  return lintCypherQuery(statement, { ...SCHEMA, parameters }).map(({ severity, message }) => ({
    severity,
    message: typeof message === 'string' ? message : message.value,
  }));
}

function exportedStatements(): [string, string][] {
  const found: [string, string][] = [];
  for (const [name, value] of Object.entries(cypher)) {
    if (typeof value === 'string') found.push([name, value]);
    else if (value && typeof value === 'object') {
      for (const [key, nested] of Object.entries(value)) if (typeof nested === 'string') found.push([`${name}[${key}]`, nested]);
    }
  }
  // The same text exported twice (PATHS_BY_DEPTH[3] is PATHS_UP_TO_3_HOPS) is checked once.
  return found.filter(([, statement], index) => found.findIndex(([, other]) => other === statement) === index);
}

describe('Cypher statements of the Neo4j semantic memory', () => {
  const statements = exportedStatements();

  it('exports every statement the implementation runs', () => {
    expect(statements.length).toBeGreaterThanOrEqual(20);
    expect(statements.map(([name]) => name)).toEqual(
      expect.arrayContaining(['CREATE_NODE_ID_CONSTRAINT', 'UPSERT_FACTS', 'INSERT_MISSING_FACTS', 'PATHS_UP_TO_3_HOPS', 'STATS']),
    );
  });

  it('is all the Cypher the implementation runs (no statement written inline)', async () => {
    const source = await readFile(new URL('../../src/memory/semantic/neo4j-semantic-memory.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/\b(?:run|executeQuery)(?:<[^>]*>)?\(\s*[`'"]/);
    const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    expect(code).not.toMatch(/\b(?:MATCH|MERGE|UNWIND|RETURN|CREATE)\b/);
  });

  it.each(statements)('%s parses and passes semantic analysis', (_name, statement) => {
    expect(parseStatementsStrs(statement)).toHaveLength(1);
    expect(lint(statement)).toEqual([]);
  });

  it('uses parameters for values: no string literals but the path-key separator', () => {
    for (const [name, statement] of statements) {
      const literals = statement.match(/'[^']*'|"[^"]*"/g) ?? [];
      expect(
        literals.filter((literal) => literal !== "''" && literal !== "'|'"),
        name,
      ).toEqual([]);
    }
  });

  it('the checker rejects malformed and meaningless statements', () => {
    // Syntax errors.
    expect(lint('MATCH (k:Knowledge {id: $id} RETURN k').some((d) => d.severity === 1)).toBe(true);
    expect(lint('MATCH (k:Knowledge) RETURN k LIMT 1').some((d) => d.severity === 1)).toBe(true);
    expect(lint('UNWIND $facts AS f MERGE (s:Knowledge {id: f.subjectId}) ON CREATE k.kind = 1').some((d) => d.severity === 1)).toBe(true);
    // Semantic errors: an unbound variable; a parameter with no value.
    expect(lint('MATCH (k:Knowledge) RETURN other')).toContainEqual({ severity: 1, message: 'Variable `other` not defined' });
    expect(lintCypherQuery('MATCH (k:Knowledge {id: $id}) RETURN k', SCHEMA).some((d) => d.severity === 1)).toBe(true);
    // Relationship types cannot be parameters (why FACT carries its predicate as a property).
    expect(lint('MATCH (s)-[r:$predicate]->(o) RETURN r').length).toBeGreaterThan(0);
  });
});
