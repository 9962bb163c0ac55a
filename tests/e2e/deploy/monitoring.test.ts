// Monitoring reads only what Baton exposes: every PromQL expression of the alerts
// and of the Grafana dashboard names known metrics and labels (support/metrics.ts),
// and that catalogue matches a running Baton's /metrics. The alerts the runbook
// promises exist, compose and Kubernetes run the same rules, and both Prometheus
// setups scrape the API and the adapter under the same job names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';
import { asKind, type Manifest } from './support/kinds.js';
import { kustomizeBuild, readObjects } from './support/kustomize.js';
import { BATON_METRICS, TARGET_LABELS, familyOf } from './support/metrics.js';
import { promqlReferences } from './support/promql.js';
import { DEPLOY, readText, readYaml } from './support/repo.js';

/** The parts of a Grafana dashboard (JSON model) the checks read. */
interface Dashboard {
  panels: {
    id: number;
    type: string;
    title: string;
    datasource: unknown;
    targets: { expr: string }[];
    gridPos: { x: number; y: number; w: number; h: number };
  }[];
  templating: { list: { name: string }[] };
}

/** The parts of a Prometheus configuration file the checks read. */
interface PrometheusConfig {
  scrape_configs: { job_name: string; metrics_path: string; static_configs: { targets: string[] }[] }[];
  rule_files: string[];
}

/** The kube-prometheus-stack chart's values the checks read (the chart's values.yaml has more). */
interface KubePrometheusStackValues {
  prometheus: { prometheusSpec: { ruleSelector: { matchLabels: Record<string, string> }; serviceMonitorSelector: { matchLabels: Record<string, string> } } };
}

const prometheusRule = asKind(readObjects(join(DEPLOY, 'monitoring/prometheusrule.yaml'))[0], 'PrometheusRule');
// A Prometheus rule file is what a PrometheusRule's spec holds.
const composeRules = readYaml<Manifest<'PrometheusRule'>['spec']>('deploy/monitoring/prometheus/baton-alerts.yml');
const rules = prometheusRule.spec.groups.flatMap((group) => group.rules);
const dashboard = JSON.parse(readText('deploy/monitoring/grafana/dashboards/baton.json')) as Dashboard;
const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
const JOBS = ['baton-api', 'baton-sidecar'];

/** Problems with one expression: unknown metrics, labels a metric does not have. */
function problems(expression: string): string[] {
  const found: string[] = [];
  const { selectors, groupingLabels } = promqlReferences(expression);
  const available = new Set<string>(TARGET_LABELS);
  for (const { metric, labels } of selectors) {
    const family = familyOf(metric);
    if (!family) {
      found.push(`unknown metric "${metric}"`);
      continue;
    }
    for (const label of family.labels) available.add(label);
    for (const label of labels) {
      if (!family.labels.includes(label) && !TARGET_LABELS.includes(label)) found.push(`${metric} has no label "${label}"`);
    }
  }
  // Jobs are named by compose's scrape configs and the ServiceMonitor's relabelings.
  for (const [, jobs] of expression.matchAll(/\bjob=~?"([^"]+)"/g)) {
    for (const name of jobs!.split('|')) if (!JOBS.includes(name)) found.push(`unknown job "${name}"`);
  }
  for (const label of groupingLabels) if (!available.has(label)) found.push(`grouping by "${label}", which no selected metric has`);
  return found;
}

describe('alerts', () => {
  it('query only metrics and labels Baton exposes', () => {
    for (const rule of rules) expect(problems(String(rule.expr)), rule.alert).toEqual([]);
  });

  it('cover error rate, p95 latency over 300 ms, handoff success under 95 %, escalation spikes and pods down', () => {
    const byName = Object.fromEntries(rules.map((rule) => [rule.alert, rule]));
    expect(byName.BatonHighErrorRate!.expr).toMatch(/status_code=~"5\.\."[\s\S]*> 0\.05/);
    expect(byName.BatonHighLatencyP95!.expr).toMatch(/histogram_quantile\(0\.95, .*http_request_duration_seconds_bucket[\s\S]*> 0\.3$/);
    expect(byName.BatonHandoffSuccessRateLow!.expr).toMatch(/baton_handoffs_total\{status="completed"\}[\s\S]*< 0\.95/);
    expect(byName.BatonEscalationSpike!.expr).toContain('baton_escalations_total');
    expect(byName.BatonApiDown!.expr).toBe('absent(up{job="baton-api"} == 1)');
    expect(byName.BatonTargetDown!.expr).toContain('up{job=~"baton-api|baton-sidecar"} == 0');
    for (const rule of rules) {
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.for).toMatch(/^\d+m$/);
      expect(rule.annotations.summary, rule.alert).toBeTruthy();
      expect(rule.annotations.runbook).toBe('docs/runbook.md#alerts');
    }
    expect(readText('docs/runbook.md')).toMatch(/^## Alerts$/m);
  });

  it('are the same rules in compose (rule file) and in Kubernetes (PrometheusRule)', () => {
    expect(prometheusRule.spec.groups).toEqual(composeRules.groups);
  });

  it('are picked up by the Prometheus Operator: the PrometheusRule and ServiceMonitor carry the release label its selectors match', () => {
    const values = readYaml<KubePrometheusStackValues>('deploy/monitoring/kube-prometheus-stack-values.yaml');
    const production = kustomizeBuild(join(DEPLOY, 'k8s/overlays/production'));
    for (const kind of ['PrometheusRule', 'ServiceMonitor']) {
      const object = production.find((candidate) => candidate.kind === kind)!;
      const selector = kind === 'PrometheusRule' ? values.prometheus.prometheusSpec.ruleSelector : values.prometheus.prometheusSpec.serviceMonitorSelector;
      expect(object.metadata.labels).toMatchObject(selector.matchLabels);
    }
  });
});

describe('the Grafana dashboard', () => {
  it('queries only metrics and labels Baton exposes, through the datasource variable', () => {
    for (const panel of panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, as the dashboard writes it, not a template literal.
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets) expect(problems(target.expr), `${panel.title}: ${target.expr}`).toEqual([]);
    }
    expect(dashboard.templating.list.find((variable) => variable.name === 'datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
  });

  it('has the panels the runbook refers to', () => {
    const titles = panels.map((panel) => panel.title);
    for (const title of [
      'Request rate',
      'Response time p95',
      'Pods up',
      'DB pool connections',
      'GraphQL operations by operation',
      'GraphQL errors by operation',
      'Handoffs by status',
      'Handoff success rate',
      'Handoff quality',
      'Escalations by trigger',
      'Memory tier latency p95',
      'Active subscriptions and WebSocket connections',
    ]) {
      expect(titles).toContain(title);
    }
    const exprs = (title: string) =>
      panels
        .find((panel) => panel.title === title)
        ?.targets.map((target) => target.expr)
        .join(' ');
    expect(exprs('DB pool connections')).toContain('baton_db_pool_connections');
    expect(exprs('Active subscriptions and WebSocket connections')).toMatch(/baton_graphql_subscriptions_active[\s\S]*baton_websocket_connections_active/);
    expect(exprs('Handoff quality')).toContain('baton_handoff_quality_score_bucket');
  });

  it('has unique panel ids and panels that do not overlap', () => {
    const ids = dashboard.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const { gridPos, title } of dashboard.panels) {
      expect(gridPos.x + gridPos.w, title).toBeLessThanOrEqual(24);
      for (let x = gridPos.x; x < gridPos.x + gridPos.w; x += 1) {
        for (let y = gridPos.y; y < gridPos.y + gridPos.h; y += 1) {
          expect(cells.has(`${x},${y}`), `${title} overlaps at ${x},${y}`).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it('ships to Kubernetes as the grafana_dashboard ConfigMap, byte for byte the file compose mounts', () => {
    const production = kustomizeBuild(join(DEPLOY, 'k8s/overlays/production'));
    const configMap = asKind(
      production.find((object) => object.kind === 'ConfigMap' && object.metadata.name === 'baton-grafana-dashboard'),
      'ConfigMap',
    );
    expect(configMap.metadata.labels.grafana_dashboard).toBe('1');
    expect(configMap.data['baton.json']).toBe(readFileSync(join(DEPLOY, 'monitoring/grafana/dashboards/baton.json'), 'utf8'));
  });
});

describe('scraping', () => {
  it('compose scrapes the API on 8080 and the adapter on 8766, as jobs named like the ServiceMonitor’s', () => {
    const config = readYaml<PrometheusConfig>('deploy/monitoring/prometheus/prometheus.yml');
    const jobs = Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, [job.metrics_path, job.static_configs[0]?.targets]]));
    expect(jobs).toEqual({ 'baton-api': ['/metrics', ['api:8080']], 'baton-sidecar': ['/metrics', ['sidecar:8766']] });
    expect(config.rule_files).toEqual(['/etc/prometheus/baton-alerts.yml']);

    const monitor = asKind(readObjects(join(DEPLOY, 'monitoring/servicemonitor.yaml'))[0], 'ServiceMonitor');
    const endpoints = Object.fromEntries(monitor.spec.endpoints.map((endpoint) => [endpoint.relabelings[0]?.replacement, [endpoint.path, endpoint.port]]));
    expect(endpoints).toEqual({ 'baton-api': ['/metrics', 'http'], 'baton-sidecar': ['/metrics', 'adapter'] });
    for (const endpoint of monitor.spec.endpoints) expect(endpoint.relabelings[0]).toMatchObject({ action: 'replace', targetLabel: 'job' });
  });

  it('the ServiceMonitor selects the Service whose ports it names', () => {
    const production = kustomizeBuild(join(DEPLOY, 'k8s/overlays/production'));
    const monitor = asKind(
      production.find((object) => object.kind === 'ServiceMonitor'),
      'ServiceMonitor',
    );
    const service = asKind(
      production.find((object) => object.kind === 'Service'),
      'Service',
    );
    expect(service.metadata.labels).toMatchObject(monitor.spec.selector.matchLabels);
    expect(monitor.metadata.namespace).toBe(service.metadata.namespace);
    expect(monitor.spec.endpoints.map((endpoint) => endpoint.port)).toEqual(service.spec.ports.map((port) => port.name));
  });
});

describe('the metric catalogue against a running Baton', () => {
  let baton: TestApp;
  let exposition: string;
  beforeAll(async () => {
    baton = await startTestApp();
    // Enough traffic for every family to appear: a lead (handoffs, memory, SQL), a query, a failing document.
    const processed = await baton.post('/api/v1/leads', {
      lead_data: { lead_id: uniqueLeadId('metrics'), industry: 'Technology', company_size: 'Enterprise', source: 'organic' },
    });
    expect(processed.status).toBe(200);
    await baton.graphql('query ReadNothing { lead(id: "none") { id } }');
    await baton.graphql('query Broken { nope }');
    exposition = await (await fetch(`${baton.url}/metrics`)).text();
  });
  afterAll(() => baton?.stop());

  it('lists every family /metrics declares under the same name and type, and no label it lacks', () => {
    for (const [name, family] of Object.entries(BATON_METRICS)) {
      expect(exposition, name).toMatch(new RegExp(`^# TYPE ${name} ${family.type}$`, 'm'));
      const series = [...exposition.matchAll(new RegExp(`^${name}(?:_bucket|_count|_sum)?\\{([^}]*)\\}`, 'gm'))];
      for (const [, labels] of series) {
        const names = [...labels!.matchAll(/([a-zA-Z_]+)="/g)].map((match) => match[1]).filter((label) => label !== 'le' && label !== 'server_id');
        expect(names.sort(), name).toEqual([...family.labels].sort());
      }
    }
  });
});

describe('the expression check itself', () => {
  it('catches an unknown metric, a label the metric lacks, grouping by a missing label and an unknown job', () => {
    expect(problems('sum(rate(http_requests_total[1m]))')).toEqual(['unknown metric "http_requests_total"']);
    expect(problems('sum(rate(baton_handoffs_total{trigger="x"}[5m]))')).toEqual(['baton_handoffs_total has no label "trigger"']);
    expect(problems('sum by (tier) (rate(baton_handoffs_total[5m]))')).toEqual(['grouping by "tier", which no selected metric has']);
    expect(problems('up{job="mcp-server"} == 0')).toEqual(['unknown job "mcp-server"']);
    expect(problems('histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{route!~"/health"}[$__rate_interval])))')).toEqual(
      [],
    );
  });
});
