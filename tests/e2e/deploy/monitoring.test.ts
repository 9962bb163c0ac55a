// Monitoring reads only what Baton exposes: every PromQL expression of the alerts
// and of the Grafana dashboard names known metrics, labels and label values
// (support/metrics.ts), and that catalogue matches a running Baton's /metrics. The
// alerts the runbook promises exist, compose and Kubernetes run the same rules, and
// both Prometheus setups scrape the API, the adapter and the agents' workers under
// the same job names.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, uniqueLeadId, type TestApp } from '../../support/test-app.js';
import { asKind, type Manifest } from './support/kinds.js';
import { kustomizeBuild, readObjects } from './support/kustomize.js';
import { AGENTS, BATON_METRICS, QUEUE_NAMES, WORKER_ROLES } from './support/metrics.js';
import { JOBS, queryProblems } from './support/query-check.js';
import { DEPLOY, readText, readYaml } from './support/repo.js';
import { selects } from './support/selectors.js';

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
  scrape_configs: {
    job_name: string;
    metrics_path: string;
    static_configs?: { targets: string[] }[];
    dns_sd_configs?: { names: string[]; type: string; port: number }[];
  }[];
  rule_files: string[];
}

/** The kube-prometheus-stack chart's values the checks read (the chart's values.yaml has more). */
interface KubePrometheusStackValues {
  prometheus: {
    prometheusSpec: {
      ruleSelector: { matchLabels: Record<string, string> };
      serviceMonitorSelector: { matchLabels: Record<string, string> };
      podMonitorSelector: { matchLabels: Record<string, string> };
      podMonitorNamespaceSelector: Record<string, never>;
    };
  };
}

/** The fields of compose's services these checks read. */
interface ComposeServices {
  services: Record<string, { environment?: Record<string, string> }>;
}

const prometheusRule = asKind(readObjects(join(DEPLOY, 'monitoring/prometheusrule.yaml'))[0], 'PrometheusRule');
// A Prometheus rule file is what a PrometheusRule's spec holds.
const composeRules = readYaml<Manifest<'PrometheusRule'>['spec']>('deploy/monitoring/prometheus/baton-alerts.yml');
const rules = prometheusRule.spec.groups.flatMap((group) => group.rules);
const dashboard = JSON.parse(readText('deploy/monitoring/grafana/dashboards/baton.json')) as Dashboard;
const panels = dashboard.panels.filter((panel) => panel.type !== 'row');
const production = kustomizeBuild(join(DEPLOY, 'k8s/overlays/production'));
const WORKER_JOBS = WORKER_ROLES.map((role) => `baton-${role}`);

/**
 * The queue and triage model gauges are read from the shared database by every process: every pod
 * reports the same value, so an expression must take their max, never their sum.
 * True when each use of `metric` in `expression` sits directly in `max(...)` or `max by (...)`
 * (through at most one function, as in `max by (queue) (delta(metric[15m]))`).
 */
function takesMaxOf(expression: string, metric: string): boolean {
  const uses = expression.split(new RegExp(`\\b${metric}\\b`)).length - 1;
  const maxed = [...expression.matchAll(new RegExp(`\\bmax(?: by \\([\\w, ]+\\) )?\\((?:\\w+\\()?${metric}\\b`, 'g'))].length;
  return uses === maxed;
}
const SHARED_GAUGES = [
  'baton_queue_jobs',
  'baton_queue_oldest_job_age_seconds',
  'baton_triage_model_heldout_auc',
  'baton_triage_model_heldout_brier',
  'baton_triage_model_heldout_log_loss',
  'baton_triage_model_calibration_error',
  'baton_triage_model_drift',
  'baton_triage_model_drift_p_value',
];

describe('alerts', () => {
  it('query only metrics and labels Baton exposes', () => {
    for (const rule of rules) expect(queryProblems(String(rule.expr)), rule.alert).toEqual([]);
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

  it('cover the queues: one backing up, jobs failing for good, a queue nothing works, a worker down', () => {
    const byName = Object.fromEntries(rules.map((rule) => [rule.alert, rule]));
    expect(byName.BatonQueueBackingUp!.expr).toMatch(/^max by \(queue\) \(baton_queue_oldest_job_age_seconds\) > \d+$/);
    expect(byName.BatonJobsFailedForGood!.expr).toMatch(/^max by \(queue\) \(delta\(baton_queue_jobs\{state="failed"\}\[\d+m\]\)\) > 0$/);
    // Jobs ready in an agent's queue, unless that agent finished some work: its processing histogram's
    // count did not grow. The agents are named after their queues, so `agent` becomes `queue`.
    const noWorker = String(byName.BatonQueueNoWorker!.expr);
    expect(noWorker).toMatch(/^max by \(queue\) \(baton_queue_jobs\{queue=~"([^"]+)",state="ready"\}\) > 0\nunless on \(queue\)\n/);
    expect(/queue=~"([^"]+)"/.exec(noWorker)![1]!.split('|')).toEqual(AGENTS);
    for (const agent of AGENTS) expect(QUEUE_NAMES).toContain(agent);
    expect(noWorker).toContain('label_replace(sum by (agent) (increase(baton_agent_processing_seconds_count[');
    expect(noWorker).toContain('"queue", "$1", "agent", "(.+)")');
    expect(byName.BatonQueueNoWorker!.labels.severity).toBe('critical');
    expect(byName.BatonWorkerTargetDown!.expr).toBe(`up{job=~"${WORKER_JOBS.join('|')}"} == 0`);
  });

  it('cover the triage model: a drift that lasts, and conversion probabilities that are off', () => {
    const byName = Object.fromEntries(rules.map((rule) => [rule.alert, rule]));
    expect(byName.BatonTriageModelDrifting).toMatchObject({ expr: 'max(baton_triage_model_drift) == 1', for: '30m', labels: { severity: 'warning' } });
    expect(String(byName.BatonTriageCalibrationDegraded!.expr).split('\n')).toEqual([
      'max(baton_triage_model_calibration_error) > 0.1',
      'or max(baton_triage_model_heldout_brier) > 0.25',
    ]);
    for (const rule of [byName.BatonTriageModelDrifting!, byName.BatonTriageCalibrationDegraded!])
      expect(rule.annotations.description).toContain('triageDrift');
  });

  it('take the max of the queue and triage model gauges every pod reports alike, never their sum', () => {
    const expressions = [...rules.map((rule) => String(rule.expr)), ...panels.flatMap((panel) => panel.targets.map((target) => target.expr))];
    const reading = expressions.filter((expression) => SHARED_GAUGES.some((metric) => expression.includes(metric)));
    expect(reading.length).toBeGreaterThanOrEqual(6);
    for (const expression of reading) for (const metric of SHARED_GAUGES) expect(takesMaxOf(expression, metric), expression).toBe(true);
  });

  it('each have a row in the runbook’s table', () => {
    const table = readText('docs/runbook.md').split(/^## Alerts$/m)[1]!;
    for (const rule of rules) expect(table, rule.alert).toContain(`| \`${rule.alert}\` | ${rule.labels.severity} |`);
  });

  it('are the same rules in compose (rule file) and in Kubernetes (PrometheusRule)', () => {
    expect(prometheusRule.spec.groups).toEqual(composeRules.groups);
  });

  it('are picked up by the Prometheus Operator: the PrometheusRule, ServiceMonitor and PodMonitor carry the release label its selectors match', () => {
    const values = readYaml<KubePrometheusStackValues>('deploy/monitoring/kube-prometheus-stack-values.yaml');
    const spec = values.prometheus.prometheusSpec;
    const selectors = { PrometheusRule: spec.ruleSelector, ServiceMonitor: spec.serviceMonitorSelector, PodMonitor: spec.podMonitorSelector };
    for (const [kind, selector] of Object.entries(selectors)) {
      const object = production.find((candidate) => candidate.kind === kind)!;
      expect(object.metadata.labels).toMatchObject(selector.matchLabels);
    }
    // Baton's namespace is not the monitoring stack's: every namespace is searched.
    expect(spec.podMonitorNamespaceSelector).toEqual({});
  });
});

describe('the Grafana dashboard', () => {
  it('queries only metrics and labels Baton exposes, through the datasource variable', () => {
    for (const panel of panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Grafana's variable syntax, as the dashboard writes it, not a template literal.
      expect(panel.datasource).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets) expect(queryProblems(target.expr), `${panel.title}: ${target.expr}`).toEqual([]);
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
      'Ready jobs by queue',
      'Oldest job age by queue',
      'Worker pods by role',
      'Agent processing time p50 / p95',
      'Queue wait p50 / p95',
      'Jobs by queue and state',
      'Failed jobs by queue',
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
    // What the worker autoscalers read, per queue, and what the agents take per job (p50 and p95 of the histograms).
    expect(exprs('Ready jobs by queue')).toBe('max by (queue) (baton_queue_jobs{state="ready"})');
    expect(exprs('Oldest job age by queue')).toBe('max by (queue) (baton_queue_oldest_job_age_seconds)');
    for (const [title, histogram, by] of [
      ['Agent processing time p50 / p95', 'baton_agent_processing_seconds_bucket', 'agent'],
      ['Queue wait p50 / p95', 'baton_queue_wait_seconds_bucket', 'queue'],
    ] as const) {
      for (const quantile of ['0.5', '0.95'])
        expect(exprs(title)).toContain(`histogram_quantile(${quantile}, sum by (${by}, le) (rate(${histogram}[$__rate_interval])))`);
    }
    expect(exprs('Worker pods by role')).toBe(`sum by (job) (up{job=~"${WORKER_JOBS.join('|')}"})`);
    expect(exprs('Failed jobs by queue')).toBe('max by (queue) (baton_queue_jobs{state="failed"})');
  });

  it('counts handoffs, the database and memory wherever the work ran: the API and every worker', () => {
    const core = JOBS.filter((job) => job !== 'baton-sidecar').join('|');
    for (const title of [
      'Handoffs by status',
      'Handoff success rate',
      'Escalations by trigger',
      'Handoffs by type and status',
      'DB pool connections',
      'Memory tier latency p95',
    ]) {
      const targets = panels.find((panel) => panel.title === title)!.targets;
      for (const target of targets) expect(target.expr, title).toContain(`job=~"${core}"`);
    }
    expect(panels.find((panel) => panel.title === 'Pods up')!.targets[0]!.expr).toBe(`sum by (job) (up{job=~"${JOBS.join('|')}"})`);
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
  it('compose scrapes the API on 8080, the adapter on 8766 and every replica of each worker on 8080, as jobs named like the ServiceMonitor’s and PodMonitor’s', () => {
    const config = readYaml<PrometheusConfig>('deploy/monitoring/prometheus/prometheus.yml');
    const targets = (job: PrometheusConfig['scrape_configs'][number]) =>
      job.static_configs?.[0]?.targets ?? job.dns_sd_configs?.flatMap((sd) => sd.names.map((name) => `${name}:${sd.port}`));
    const jobs = Object.fromEntries(config.scrape_configs.map((job) => [job.job_name, [job.metrics_path, targets(job)]]));
    expect(jobs).toEqual({
      'baton-api': ['/metrics', ['api:8080']],
      'baton-sidecar': ['/metrics', ['sidecar:8766']],
      'baton-triage': ['/metrics', ['triage:8080']],
      'baton-engagement': ['/metrics', ['engagement:8080']],
      'baton-optimization': ['/metrics', ['optimization:8080']],
      'baton-delivery': ['/metrics', ['delivery:8080']],
    });
    expect(Object.keys(jobs)).toEqual(JOBS);
    expect(config.rule_files).toEqual(['/etc/prometheus/baton-alerts.yml']);
    // A worker scaled out (docker compose up --scale) is several containers behind one name: DNS lists them all.
    for (const job of config.scrape_configs.filter((candidate) => WORKER_JOBS.includes(candidate.job_name))) {
      expect(job.static_configs).toBeUndefined();
      expect(job.dns_sd_configs).toEqual([{ names: [job.job_name.replace(/^baton-/, '')], type: 'A', port: 8080 }]);
    }
    // Each target is a compose service, listening on that port.
    const compose = readYaml<ComposeServices>('deploy/compose.yaml');
    for (const [, [, hosts]] of Object.entries(jobs)) {
      for (const target of hosts as string[]) {
        const [service, port] = target.split(':');
        const environment = compose.services[service!]?.environment ?? {};
        expect(environment.PORT ?? environment.SIDECAR_PORT, target).toBe(port);
      }
    }

    const monitor = asKind(readObjects(join(DEPLOY, 'monitoring/servicemonitor.yaml'))[0], 'ServiceMonitor');
    const endpoints = Object.fromEntries(monitor.spec.endpoints.map((endpoint) => [endpoint.relabelings[0]?.replacement, [endpoint.path, endpoint.port]]));
    expect(endpoints).toEqual({ 'baton-api': ['/metrics', 'http'], 'baton-sidecar': ['/metrics', 'adapter'] });
    for (const endpoint of monitor.spec.endpoints) expect(endpoint.relabelings[0]).toMatchObject({ action: 'replace', targetLabel: 'job' });
  });

  it('the ServiceMonitor selects the Service whose ports it names', () => {
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

  it('the PodMonitor scrapes every worker pod, and no API pod, on its http port, as the jobs compose names', () => {
    const monitor = asKind(
      production.find((object) => object.kind === 'PodMonitor'),
      'PodMonitor',
    );
    const deployments = production.filter((object) => object.kind === 'Deployment').map((object) => asKind(object, 'Deployment'));
    const workers = deployments.filter((deployment) => deployment.metadata.name !== 'baton-api');
    expect(workers.map((worker) => worker.metadata.name)).toEqual(WORKER_JOBS);
    for (const deployment of deployments) {
      expect(selects(monitor.spec.selector, deployment.spec.template.metadata.labels), deployment.metadata.name).toBe(workers.includes(deployment));
      expect(deployment.metadata.namespace).toBe(monitor.metadata.namespace);
    }
    const [endpoint, ...others] = monitor.spec.podMetricsEndpoints;
    expect(others).toEqual([]);
    expect(endpoint!.path).toBe('/metrics');
    for (const worker of workers) expect(worker.spec.template.spec.containers[0]!.ports.map((port) => port.name)).toContain(endpoint!.port);

    // The job each worker's target gets: the relabeling applied to its pod's component label, as Prometheus
    // applies it (the regex, `(.*)` by default, anchored; $1 its group).
    const [relabeling, ...more] = endpoint!.relabelings;
    expect(more).toEqual([]);
    expect(relabeling).toMatchObject({ action: 'replace', targetLabel: 'job' });
    const label = 'app.kubernetes.io/component';
    expect(relabeling!.sourceLabels).toEqual([`__meta_kubernetes_pod_label_${label.replace(/[^a-zA-Z0-9_]/g, '_')}`]);
    const jobOf = (value: string) => value.replace(new RegExp(`^(?:${relabeling!.regex ?? '(.*)'})$`), relabeling!.replacement);
    expect(workers.map((worker) => jobOf(worker.spec.template.metadata.labels[label]!))).toEqual(WORKER_JOBS);
  });
});

describe('the metric catalogue against a running Baton', () => {
  let baton: TestApp;
  let exposition: string;
  beforeAll(async () => {
    baton = await startTestApp();
    // Enough traffic for every family to appear: a lead (handoffs, memory, SQL), a query, a failing document.
    const processed = await baton.post('/api/v1/leads', {
      // With an email: a lead with only the required fields would wait at the quality gate, and engagement would not work on it.
      lead_data: { lead_id: uniqueLeadId('metrics'), industry: 'Technology', company_size: 'Enterprise', source: 'organic', email: 'jane.doe@acme.com' },
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

  it('takes the label values the catalogue lists, and the queue gauges every one of them from the start', () => {
    const withValues = Object.entries(BATON_METRICS).filter(([, family]) => family.values);
    expect(withValues.map(([name]) => name)).toEqual([
      'baton_queue_jobs',
      'baton_queue_oldest_job_age_seconds',
      'baton_agent_processing_seconds',
      'baton_queue_wait_seconds',
    ]);
    for (const [name, family] of withValues) {
      const seen: Record<string, Set<string>> = {};
      for (const [, labels] of exposition.matchAll(new RegExp(`^${name}(?:_bucket|_count|_sum)?\\{([^}]*)\\}`, 'gm'))) {
        for (const [, label, value] of labels!.matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) {
          seen[label!] ??= new Set();
          seen[label!]!.add(value!);
        }
      }
      for (const [label, values] of Object.entries(family.values!)) {
        expect(
          [...(seen[label] ?? [])].filter((value) => !values.includes(value)),
          `${name} ${label}`,
        ).toEqual([]);
        // Gauges exist at 0 from the start (src/http/metrics.ts), so every queue and state is there for the HPAs and alerts.
        if (family.type === 'gauge') expect([...seen[label]!].sort(), `${name} ${label}`).toEqual([...values].sort());
      }
    }
    // The lead went through triage and engagement: their processing and queue wait were observed.
    for (const agent of ['triage', 'engagement']) {
      expect(exposition).toMatch(new RegExp(`^baton_agent_processing_seconds_count\\{[^}]*agent="${agent}"[^}]*\\} [1-9]`, 'm'));
      expect(exposition).toMatch(new RegExp(`^baton_queue_wait_seconds_count\\{[^}]*queue="${agent}"[^}]*\\} [1-9]`, 'm'));
    }
  });
});

describe('the expression check itself', () => {
  it('catches an unknown metric, a label the metric lacks, a value no series takes, grouping by a missing label, an unknown job and a summed queue gauge', () => {
    expect(queryProblems('sum(rate(http_requests_total[1m]))')).toEqual(['unknown metric "http_requests_total"']);
    expect(queryProblems('sum(rate(baton_handoffs_total{trigger="x"}[5m]))')).toEqual(['baton_handoffs_total has no label "trigger"']);
    expect(queryProblems('sum by (tier) (rate(baton_handoffs_total[5m]))')).toEqual(['grouping by "tier", which no selected metric has']);
    expect(queryProblems('up{job="mcp-server"} == 0')).toEqual(['unknown job "mcp-server"']);
    expect(queryProblems('max by (queue) (baton_queue_jobs{queue="trigae",state="ready"})')).toEqual(['baton_queue_jobs has no queue "trigae"']);
    // (Examples of queues that do not exist: `delivery` does since issue 14.)
    expect(queryProblems('max(baton_queue_jobs{queue=~"triage|billing",state!="done"})')).toEqual([
      'baton_queue_jobs has no queue "billing"',
      'baton_queue_jobs has no state "done"',
    ]);
    expect(queryProblems('max(baton_queue_oldest_job_age_seconds{queue=~"opt.*"})')).toEqual([]);
    expect(queryProblems('max(baton_queue_oldest_job_age_seconds{queue=~"bill.*"})')).toEqual([
      'baton_queue_oldest_job_age_seconds{queue=~"bill.*"} matches no queue',
    ]);
    expect(takesMaxOf('sum by (queue) (baton_queue_jobs{state="ready"})', 'baton_queue_jobs')).toBe(false);
    expect(takesMaxOf('max by (queue) (delta(baton_queue_jobs{state="failed"}[15m])) > 0', 'baton_queue_jobs')).toBe(true);
    expect(
      queryProblems('histogram_quantile(0.95, sum by (le, route) (rate(http_request_duration_seconds_bucket{route!~"/health"}[$__rate_interval])))'),
    ).toEqual([]);
  });
});
