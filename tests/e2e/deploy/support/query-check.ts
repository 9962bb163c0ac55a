// The check every PromQL expression of deploy/ passes (alerts, dashboard panels,
// the autoscalers' queries as prometheus-adapter sends them): it reads only
// metrics Baton exposes, with labels they carry, label values they take, and the
// job names the scrape configurations give Baton's processes.
import { TARGET_LABELS, familyOf } from './metrics.js';
import { promqlReferences } from './promql.js';

/**
 * The scrape jobs of Baton's processes, as compose's Prometheus names them and
 * Kubernetes' ServiceMonitor and PodMonitor relabel them (monitoring.test.ts keeps
 * all three equal to this list).
 */
export const JOBS = ['baton-api', 'baton-sidecar', 'baton-triage', 'baton-engagement', 'baton-optimization', 'baton-delivery'];

/** A regular expression that only lists literal alternatives: `triage|engagement`. */
const ALTERNATIVES = /^[\w.-]+(?:\|[\w.-]+)*$/;

/** Problems with one expression: unknown metrics, labels a metric does not have, values no series takes, unknown jobs. */
export function queryProblems(expression: string): string[] {
  const found: string[] = [];
  const { selectors, groupingLabels } = promqlReferences(expression);
  const available = new Set<string>(TARGET_LABELS);
  for (const { metric, labels, matchers } of selectors) {
    const family = familyOf(metric);
    if (!family) {
      found.push(`unknown metric "${metric}"`);
      continue;
    }
    for (const label of family.labels) available.add(label);
    for (const label of labels) {
      if (!family.labels.includes(label) && !TARGET_LABELS.includes(label)) found.push(`${metric} has no label "${label}"`);
    }
    for (const { label, operator, value } of matchers) {
      const values = family.values[label];
      // `label!=""` (the label is set) and negative regexes name no value.
      if (!values || operator === '!~' || (operator === '!=' && value === '')) continue;
      const taken = (candidate: string) => values.includes(candidate);
      if (operator === '=~' && !ALTERNATIVES.test(value)) {
        if (!values.some((candidate) => new RegExp(`^(?:${value})$`).test(candidate))) found.push(`${metric}{${label}=~"${value}"} matches no ${label}`);
        continue;
      }
      for (const candidate of operator === '=~' ? value.split('|') : [value]) {
        if (!taken(candidate)) found.push(`${metric} has no ${label} "${candidate}"`);
      }
    }
  }
  // Jobs are named by compose's scrape configs and the ServiceMonitor's and PodMonitor's relabelings.
  for (const [, jobs] of expression.matchAll(/\bjob=~?"([^"]+)"/g)) {
    for (const name of jobs!.split('|')) if (!JOBS.includes(name)) found.push(`unknown job "${name}"`);
  }
  for (const label of groupingLabels) if (!available.has(label)) found.push(`grouping by "${label}", which no selected metric has`);
  return found;
}
