// The example tabs GraphiQL opens with must run against the current schema, and
// the page that carries them must need nothing but itself.
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { GRAPHIQL_TABS } from '../../src/graphql/graphiql-examples.js';
import { graphiqlOptions, renderGraphiQLPage } from '../../src/graphql/graphiql-page.js';
import { schema } from '../../src/schema/index.js';

describe('GraphiQL example tabs', () => {
  it.each(GRAPHIQL_TABS.map((tab) => [tab.query.split('\n', 1)[0]!, tab.query]))('%s is valid against the schema', (_title, query) => {
    expect(validate(schema, parse(query)).map((error) => error.message)).toEqual([]);
  });

  it('opens on processing a lead', () => {
    expect(graphiqlOptions(undefined).defaultTabs?.[0]?.query).toContain('mutation ProcessLead(');
  });
});

describe('GraphiQL page', () => {
  it('loads no script, style or icon from elsewhere (it works offline)', () => {
    const page = renderGraphiQLPage(graphiqlOptions(undefined));
    expect(page).toContain('YogaGraphiQL.renderYogaGraphiQL(');
    // Inline: scripts, styles and workers; the icon a data: URL.
    expect(page.match(/<(?:script|link|img)\b[^>]*\b(?:src|href)=["']?(?:https?:)?\/\//gi)).toBeNull();
    expect(page).not.toContain('unpkg.com');
  });

  it('pre-fills the Authorization header with a token only when given one', () => {
    expect(JSON.parse(graphiqlOptions(undefined).headers!)).toEqual({ Authorization: 'Bearer <paste a token: npm run --silent token>' });
    expect(JSON.parse(graphiqlOptions('header.payload.signature').headers!)).toEqual({ Authorization: 'Bearer header.payload.signature' });
  });
});
