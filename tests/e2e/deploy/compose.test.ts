// deploy/compose.yaml hangs together: the services the stack needs, the API and
// each agent's worker as processes of their own (BATON_ROLES), a migration that
// must succeed before Baton starts, healthchecks on everything that stays up,
// ports and URLs that point where the services listen, commands that are the npm
// scripts' programs, a configuration Baton accepts, and mounted files that exist.
// (No Docker engine here: the file is checked, not run.)
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, ROLES } from '../../../src/config.js';
import { TEST_DATA_ENCRYPTION_KEY } from '../../support/test-app.js';
import type { Present } from './support/kinds.js';
import { DEPLOY, NODE_ENVIRONMENT, ROOT, declaredEnvironment, nodeCommandFor, readYaml } from './support/repo.js';

/** The fields of a Compose service the checks read (the Compose specification has more). */
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  healthcheck?: { test: string[] };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  stop_grace_period?: string;
}

/** The agents' workers: one service per role of BATON_ROLES but api, named after it. */
const WORKERS = ['triage', 'engagement', 'optimization', 'delivery'] as const;
const LONG_RUNNING = ['postgres', 'redis', 'neo4j', 'api', 'sidecar', ...WORKERS, 'prometheus', 'grafana'] as const;
const BATON = ['migrate', 'api', 'sidecar', ...WORKERS] as const;
type ServiceName = (typeof LONG_RUNNING)[number] | (typeof BATON)[number];

/** What the runbook has the user export before `docker compose up`. */
const EXPORTED: Record<string, string> = { JWT_SECRET: 'j'.repeat(48), DATA_ENCRYPTION_KEY: TEST_DATA_ENCRYPTION_KEY };

/** A value as compose would interpolate it with nothing exported but EXPORTED: `${VAR:-default}` → default. */
function interpolated(value: string): string {
  return value.replace(/\$\{(\w+)(?::-([^}]*)|:\?[^}]*)\}/g, (_match, name: string, fallback?: string) => {
    if (Object.hasOwn(EXPORTED, name)) return EXPORTED[name]!;
    if (fallback === undefined) throw new Error(`\${${name}} has no default`);
    return fallback;
  });
}

const compose = readYaml<{ services: Record<ServiceName, Present<ComposeService>>; volumes: Record<string, unknown> }>('deploy/compose.yaml');
const services = compose.services;

describe('deploy/compose.yaml', () => {
  it('runs the whole stack: Baton’s API, its adapter, the agents’ workers, the stores, a one-shot migration, Prometheus and Grafana', () => {
    expect(Object.keys(services).sort()).toEqual([...LONG_RUNNING, 'migrate'].sort());
    expect(services.postgres.image).toMatch(/^postgres:16/);
    expect(services.redis.image).toMatch(/^redis:7/);
    expect(services.neo4j.image).toMatch(/^neo4j:5/);
    // Versions are pinned: `latest` changes under a running deployment.
    for (const [name, service] of Object.entries(services)) expect(service.image, name).toMatch(/:(?!latest$)[\w.-]+$|^\$\{BATON_IMAGE:-baton:local\}$/);
  });

  it('builds Baton from the repository root with deploy/Dockerfile', () => {
    for (const name of BATON) {
      expect(resolve(DEPLOY, services[name].build.context)).toBe(ROOT);
      expect(services[name].build.dockerfile).toBe('deploy/Dockerfile');
    }
  });

  it('runs the npm scripts’ programs with node directly', () => {
    expect(services.api.command).toEqual(nodeCommandFor('start'));
    expect(services.sidecar.command).toEqual(nodeCommandFor('sidecar'));
    expect(services.migrate.command).toEqual(nodeCommandFor('migrate'));
    for (const name of WORKERS) expect(services[name].command).toEqual(nodeCommandFor('start'));
  });

  it('splits the roles as Kubernetes does: api in the API service, each agent in a worker service of its name, every role once', () => {
    expect(services.api.environment.BATON_ROLES).toBe('api');
    for (const name of WORKERS) expect(services[name].environment.BATON_ROLES).toBe(name);
    expect(['api', ...WORKERS].sort()).toEqual([...ROLES].sort());
    // And each is a configuration Baton accepts, with the stack's stores.
    for (const name of ['api', ...WORKERS] as const) {
      const environment = Object.fromEntries(Object.entries(services[name].environment).map(([key, value]) => [key, interpolated(value)]));
      // NODE_ENV=production, as the image sets it (deploy/Dockerfile).
      const config = loadConfig({ ...environment, NODE_ENV: 'production' });
      expect(config.roles).toEqual([name]);
      expect(config.dataEncryptionKey).toBe(TEST_DATA_ENCRYPTION_KEY);
      expect(config.databaseUrl).toBe(interpolated(services.api.environment.DATABASE_URL!));
      expect(config.redisUrl).toBe('redis://redis:6379');
    }
  });

  it('lets every worker scale (docker compose up --scale): no published port, no fixed name', () => {
    for (const name of WORKERS) {
      expect(services[name].ports, name).toBeUndefined();
      // Without SERVER_ID each replica names its logs, metrics and heartbeat rows after its container.
      expect(services[name].environment.SERVER_ID, name).toBeUndefined();
      expect(services[name].environment.PORT).toBe('8080');
    }
  });

  it('starts the API only after the migration succeeded and the stores are healthy', () => {
    expect(services.api.depends_on).toEqual({
      migrate: { condition: 'service_completed_successfully' },
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
      neo4j: { condition: 'service_healthy' },
    });
    expect(services.migrate.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(services.migrate.restart).toBe('no');
    expect(services.sidecar.depends_on.api).toEqual({ condition: 'service_healthy' });
    // A worker needs what the API needs, and not the API: jobs wait in PostgreSQL for whichever starts first.
    for (const name of WORKERS) expect(services[name].depends_on, name).toEqual(services.api.depends_on);
    for (const service of Object.values(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) expect(Object.keys(services)).toContain(dependency);
    }
  });

  it('has a healthcheck on every long-running service, and Baton’s ask /health on the port the service listens on', () => {
    for (const name of LONG_RUNNING) expect(services[name].healthcheck?.test, name).toBeDefined();
    const health = (name: ServiceName) => services[name].healthcheck.test.join(' ');
    expect(health('api')).toContain(`http://127.0.0.1:${services.api.environment.PORT}/health`);
    expect(health('sidecar')).toContain(`http://127.0.0.1:${services.sidecar.environment.SIDECAR_PORT}/health`);
    for (const name of WORKERS) expect(health(name)).toContain(`http://127.0.0.1:${services[name].environment.PORT}/health`);
    expect(health('postgres')).toContain('pg_isready');
    expect(health('redis')).toContain('redis-cli');
    expect(health('neo4j')).toContain('cypher-shell');
  });

  it('publishes the API on 8080 and the adapter on 8766, and points the adapter at the API service', () => {
    expect(services.api.ports).toEqual([`8080:${services.api.environment.PORT}`]);
    expect(services.sidecar.ports).toEqual([`8766:${services.sidecar.environment.SIDECAR_PORT}`]);
    expect(services.api.environment.PORT).toBe('8080');
    expect(services.sidecar.environment.SIDECAR_PORT).toBe('8766');
    expect(services.sidecar.environment.GRAPHQL_URL).toBe('http://api:8080/graphql');
    // The stores stay private to the stack's network.
    for (const name of ['postgres', 'redis', 'neo4j'] as const) expect(services[name].ports).toBeUndefined();
  });

  it('connects Baton to the stack’s stores, with credentials the stores were given', () => {
    const env = services.api.environment;
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose's interpolation, as compose.yaml writes it, not a template literal.
    const database = new URL(env.DATABASE_URL!.replace('${POSTGRES_PASSWORD:-baton-dev-password}', 'password'));
    expect([database.hostname, database.port, database.username, database.pathname]).toEqual([
      'postgres',
      '5432',
      services.postgres.environment.POSTGRES_USER,
      `/${services.postgres.environment.POSTGRES_DB}`,
    ]);
    expect(env.DATABASE_URL).toContain(services.postgres.environment.POSTGRES_PASSWORD);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.NEO4J_URL).toBe('bolt://neo4j:7687');
    expect(services.neo4j.environment.NEO4J_AUTH).toBe(`${env.NEO4J_USER}/${env.NEO4J_PASSWORD}`);
    // JWT_SECRET has no default: compose refuses to start without one.
    expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
    expect(services.sidecar.environment.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
    // Nor has DATA_ENCRYPTION_KEY: the image runs with NODE_ENV=production, which refuses to start without it.
    expect(env.DATA_ENCRYPTION_KEY).toMatch(/^\$\{DATA_ENCRYPTION_KEY:\?/);
  });

  it('sets only environment variables Baton reads', () => {
    const { api, all } = declaredEnvironment();
    for (const name of ['migrate', 'api', ...WORKERS] as const) {
      for (const key of Object.keys(services[name].environment)) expect(api.has(key) || NODE_ENVIRONMENT.has(key), `${name}: ${key}`).toBe(true);
    }
    for (const key of Object.keys(services.sidecar.environment)) expect(all.has(key), `sidecar: ${key}`).toBe(true);
  });

  it('mounts files that exist: the Prometheus configuration and alerts, Grafana’s provisioning and the dashboard', () => {
    const mounts = Object.values(services).flatMap((service) => service.volumes ?? []);
    const binds = mounts.filter((mount) => mount.startsWith('./'));
    expect(binds.length).toBeGreaterThan(0);
    for (const bind of binds) expect(existsSync(join(DEPLOY, bind.split(':')[0]!)), bind).toBe(true);
    for (const named of mounts.filter((mount) => !mount.startsWith('./'))) expect(Object.keys(compose.volumes)).toContain(named.split(':')[0]);

    const provisioning = services.grafana.volumes.find((mount) => mount.includes('provisioning'))!.split(':')[0]!;
    const dashboards = readYaml<{ providers: { options: { path: string } }[] }>(join('deploy', provisioning, 'dashboards/baton.yaml'));
    const dashboardsMount = services.grafana.volumes.find((mount) => mount.includes('/dashboards:'));
    expect(dashboardsMount!.split(':')[1]).toBe(dashboards.providers[0]!.options.path);
    const datasources = readYaml<{ datasources: { url: string }[] }>(join('deploy', provisioning, 'datasources/prometheus.yaml'));
    expect(datasources.datasources[0]?.url).toBe('http://prometheus:9090');
  });

  it('gives Baton more than its 10 s shutdown grace before SIGKILL', () => {
    for (const name of ['api', 'sidecar', ...WORKERS] as const) expect(Number.parseInt(services[name].stop_grace_period, 10)).toBeGreaterThan(10);
  });
});
