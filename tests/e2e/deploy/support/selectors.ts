// Kubernetes label selectors as the API server evaluates them: matchLabels and
// matchExpressions (In, NotIn, Exists, DoesNotExist), all of which must hold; and
// kubectl's `-l` syntax (`a=b,c in (x,y)`) read into the same shape.
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export function selects(selector: LabelSelector, labels: Record<string, string> | undefined): boolean {
  const has = (key: string) => labels !== undefined && key in labels;
  const byLabel = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels?.[key] === value);
  const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    if (operator === 'In') return has(key) && values.includes(labels![key]!);
    if (operator === 'NotIn') return !has(key) || !values.includes(labels![key]!);
    if (operator === 'Exists') return has(key);
    if (operator === 'DoesNotExist') return !has(key);
    throw new Error(`unknown selector operator ${operator}`);
  });
  return byLabel && byExpression;
}

/** kubectl's `-l` selector: `key=value` and `key in (a,b)` requirements, comma-separated. */
export function parseKubectlSelector(text: string): LabelSelector {
  const selector: Required<LabelSelector> = { matchLabels: {}, matchExpressions: [] };
  let read = 0;
  for (const [requirement, key, values, value] of text.matchAll(/\s*([\w./-]+)\s*(?:in\s*\(([^)]*)\)|=([\w.-]+))\s*(?:,|$)/g)) {
    read += requirement.length;
    if (values !== undefined) selector.matchExpressions.push({ key: key!, operator: 'In', values: values.split(',').map((v) => v.trim()) });
    else selector.matchLabels[key!] = value!;
  }
  if (read !== text.length) throw new Error(`a selector this reader does not fully understand: ${text}`);
  return selector;
}
