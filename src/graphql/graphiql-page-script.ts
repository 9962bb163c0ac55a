// The script Baton's GraphiQL page runs before GraphiQL starts. It closes two gaps
// of the GraphiQL that @graphql-yoga/render-graphiql bundles:
// - On a first visit, the first example tab opens without its variables (GraphiQL
//   fills them only from its storage: graphql/graphiql#3392), so Run would fail.
// - Headers are kept per tab: a token pasted into one tab is missing from the
//   others, and from every tab opened later. Baton keeps ONE set of headers for
//   every tab, remembered across reloads: what the user last typed (saved under
//   `baton:graphiql:headers` while headers persist), else the server's default.
// It leans on two details of that GraphiQL (tests/e2e/graphiql-browser.test.ts checks them):
// - its storage (localStorage): `graphiql:tabState` holds the tabs, each with its
//   `headers` unless `graphiql:shouldPersistHeaders` is "false" (a setting the user
//   can switch off); `graphiql:query`, `graphiql:variables` and `graphiql:headers`
//   what the editors showed last;
// - its Monaco editor, published as `globalThis.__MONACO`, whose headers live in a
//   model named `…request-headers.json`. GraphiQL shows a tab's headers with
//   `setValue` (a "flush" change); what the user types is never a flush.
// Plain ES2015 in a string: it is sent to the browser as it is, never transpiled.
const PREPARE_GRAPHIQL = `function prepareGraphiQL(serverHeaders, firstTab) {
  function persists() { return localStorage.getItem('graphiql:shouldPersistHeaders') !== 'false'; }
  var SHARED = 'baton:graphiql:headers';
  // Headers no longer persist (the user switched it off in GraphiQL's settings): forget them.
  if (!persists()) localStorage.removeItem(SHARED);
  var typed = localStorage.getItem(SHARED);
  var headers = typed !== null ? typed : serverHeaders;

  var saved = localStorage.getItem('graphiql:tabState');
  // A first visit: GraphiQL fills the first tab's editors from its storage, so put that tab there.
  if (saved === null && firstTab) {
    localStorage.setItem('graphiql:query', firstTab.query || '');
    localStorage.setItem('graphiql:variables', firstTab.variables || '');
  }
  // Every saved tab, and the headers editor, start from the shared headers.
  if (persists()) {
    localStorage.setItem('graphiql:headers', headers);
    var state = null;
    try { state = JSON.parse(saved); } catch (error) { /* GraphiQL drops what it cannot read */ }
    if (state && Array.isArray(state.tabs)) {
      state.tabs.forEach(function (tab) { tab.headers = headers; });
      localStorage.setItem('graphiql:tabState', JSON.stringify(state));
    }
  }

  function remember(value) {
    headers = value;
    if (persists()) localStorage.setItem(SHARED, value);
    else localStorage.removeItem(SHARED);
  }
  function sameJson(a, b) {
    try { return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b)); } catch (error) { return false; }
  }
  function share(model) {
    if (!model.uri.path.endsWith('request-headers.json')) return;
    if (model.getValue() !== headers) model.setValue(headers);
    model.onDidChangeContent(function (event) {
      var value = model.getValue();
      if (value === headers) return;
      // Typed by the user: the headers of every tab from now on.
      if (!event.isFlush) return remember(value);
      // Prettified: the same headers, laid out anew.
      if (sameJson(value, headers)) { headers = value; return; }
      // GraphiQL showed another tab's own headers (a tab switched to or opened): show the shared ones.
      setTimeout(function () { if (model.getValue() !== headers) model.setValue(headers); });
    });
  }
  // GraphiQL publishes Monaco once loaded: from then on, watch the headers model it creates.
  var monaco;
  Object.defineProperty(globalThis, '__MONACO', {
    configurable: true,
    get: function () { return monaco; },
    set: function (value) {
      monaco = value;
      value.editor.getModels().forEach(share);
      value.editor.onDidCreateModel(share);
    },
  });
}`;

export interface GraphiQLPageScriptOptions {
  /** The headers the server offers (a JSON object as text): a placeholder, or the development token. */
  headers: string;
  /** The tab GraphiQL opens on a first visit. */
  firstTab: { query: string | null; variables?: string | null | undefined } | undefined;
}

export function graphiqlPageScript({ headers, firstTab }: GraphiQLPageScriptOptions): string {
  return `(${PREPARE_GRAPHIQL})(${scriptLiteral(headers)}, ${scriptLiteral(firstTab ?? null)});`;
}

/** JSON is a JS literal; escaping `<` keeps a `</script>` inside it from ending the script. */
function scriptLiteral(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c');
}
