// What a PromQL expression reads: its metric names and, for each selector, the
// label names it matches on and the values it matches them against, plus the
// labels named in by/without/on/ignoring/group_* clauses. A tokenizer, not a
// parser: enough to check the alerts, the dashboard and the autoscalers' queries
// against the metrics Baton exposes (./metrics.ts), without Prometheus.
export interface Matcher {
  label: string;
  operator: '=' | '!=' | '=~' | '!~';
  /** The string matched against (a regular expression for =~ and !~), unescaped. */
  value: string;
}

export interface Selector {
  metric: string;
  labels: string[];
  matchers: Matcher[];
}

export interface PromqlReferences {
  selectors: Selector[];
  /** Label names in grouping and vector-matching clauses. */
  groupingLabels: string[];
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'atan2',
  // Aggregation operators may be followed by `by (...)` instead of `(`.
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
  'limitk',
  'limit_ratio',
]);
const GROUPING = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

export function promqlReferences(expression: string): PromqlReferences {
  const selectors: Selector[] = [];
  const groupingLabels: string[] = [];
  // Strings hold label values and regexes, never names: blank them out (keeping their length).
  const text = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, (match) => `"${' '.repeat(match.length - 2)}"`);
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i]!)) i += 1;
  };
  const readIdentifier = () => {
    const match = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(text.slice(i));
    if (!match) return undefined;
    i += match[0].length;
    return match[0];
  };
  const readLabelList = (): string[] => {
    // After `(` of by/without/on/...: comma-separated label names up to `)`.
    const names: string[] = [];
    i += 1;
    for (;;) {
      skipSpace();
      if (text[i] === ')') {
        i += 1;
        return names;
      }
      const name = readIdentifier();
      if (!name) throw new Error(`unexpected "${text[i]}" in a label list at ${i}: ${expression}`);
      names.push(name);
      skipSpace();
      if (text[i] === ',') i += 1;
    }
  };
  const readMatchers = (): Matcher[] => {
    // After `{`: name op "value" pairs up to `}`.
    const matchers: Matcher[] = [];
    i += 1;
    for (;;) {
      skipSpace();
      if (text[i] === '}') {
        i += 1;
        return matchers;
      }
      const label = readIdentifier();
      if (!label) throw new Error(`unexpected "${text[i]}" in a selector at ${i}: ${expression}`);
      skipSpace();
      const operator = /^(=~|!~|!=|=)/.exec(text.slice(i));
      if (!operator) throw new Error(`no matcher operator after ${label}: ${expression}`);
      i += operator[0].length;
      skipSpace();
      if (text[i] !== '"') throw new Error(`label ${label} is not matched against a string: ${expression}`);
      const end = text.indexOf('"', i + 1) + 1;
      // The blanked copy keeps every string's place: its value is read from the expression itself.
      // A "…" string's escapes are JSON's; '…' and raw `…` strings are taken as written (deploy/ has none).
      const quoted = expression.slice(i, end);
      const value = quoted.startsWith('"') ? (JSON.parse(quoted) as string) : quoted.slice(1, -1);
      matchers.push({ label, operator: operator[0] as Matcher['operator'], value });
      i = end;
      skipSpace();
      if (text[i] === ',') i += 1;
    }
  };
  const selector = (metric: string, matchers: Matcher[]): Selector => ({ metric, labels: matchers.map((m) => m.label), matchers });

  while (i < text.length) {
    skipSpace();
    const c = text[i];
    if (c === undefined) break;
    if (c === '"') {
      i = text.indexOf('"', i + 1) + 1;
    } else if (c === '[') {
      i = text.indexOf(']', i) + 1; // range or subquery durations
    } else if (c === '$') {
      i += 1;
      readIdentifier(); // Grafana variables: $__rate_interval
    } else if (/[0-9.]/.test(c)) {
      const match = /^[0-9.]+(?:e[+-]?[0-9]+)?[a-z]*/i.exec(text.slice(i))!;
      i += match[0].length; // numbers and durations (offset 1d)
    } else if (c === '{') {
      selectors.push(selector('', readMatchers()));
    } else if (/[a-zA-Z_:]/.test(c)) {
      const word = readIdentifier()!;
      skipSpace();
      if (GROUPING.has(word)) {
        if (text[i] === '(') groupingLabels.push(...readLabelList());
      } else if (KEYWORDS.has(word) || text[i] === '(') {
        // an operator or a function call
      } else {
        selectors.push(selector(word, text[i] === '{' ? readMatchers() : []));
      }
    } else {
      i += 1;
    }
  }
  return { selectors, groupingLabels };
}
