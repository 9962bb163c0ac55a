// GraphiQL as Baton serves it on GET /graphql: the editor bundled in
// @graphql-yoga/render-graphiql, inline in the page (no CDN, so it works offline
// and behind a strict proxy), opening on Baton's examples, with one set of
// headers for every tab.
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import type { GraphiQLOptions } from 'graphql-yoga';
import { GRAPHIQL_TABS } from './graphiql-examples.js';
import { graphiqlPageScript } from './graphiql-page-script.js';

/** Where the token goes when Baton has none to offer. */
const TOKEN_PLACEHOLDER = '<paste a token: npm run --silent token>';

/**
 * `token` pre-fills the Authorization header. Only the development admin token
 * goes here, and only when Baton generated its own secret: with JWT_SECRET set,
 * no token ever reaches a page.
 */
export function graphiqlOptions(token: string | undefined): GraphiQLOptions {
  return {
    title: 'Baton',
    // The headers of a tab that has none of its own: the examples, the tabs a user opens.
    headers: JSON.stringify({ Authorization: `Bearer ${token ?? TOKEN_PLACEHOLDER}` }, null, 2),
    defaultTabs: GRAPHIQL_TABS,
    defaultEditorToolsVisibility: 'headers',
    shouldPersistHeaders: true,
    // SSE carries the Authorization header; graphql-ws clients authenticate with connectionParams.
    subscriptionsProtocol: 'SSE',
  };
}

/** render-graphiql's page, with Baton's script run before GraphiQL starts (graphiql-page-script.ts). */
export function renderGraphiQLPage(options: GraphiQLOptions): string {
  const script = graphiqlPageScript({ headers: options.headers ?? '{}', firstTab: options.defaultTabs?.[0] });
  // A function, so that `$` in the script is never read as a replacement pattern.
  return renderGraphiQL(options).replace('<head>', () => `<head>\n<script>${script}</script>`);
}
