// Global setup of the fuzz project: a directory each test file writes its doors'
// figures to, and, when the run ends, one report of them all (inputs per door,
// failures with their replay) for the log.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type DoorReport, describeFailures, FUZZ_SEED } from './fuzz-report-format.js';

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(join(tmpdir(), 'baton-fuzz-'));
  project.provide('fuzzReportDir', dir);
  return async () => {
    const reports: DoorReport[] = [];
    for (const file of (await readdir(dir)).sort()) reports.push(JSON.parse(await readFile(join(dir, file), 'utf8')) as DoorReport);
    await rm(dir, { recursive: true, force: true });
    if (reports.length === 0) return;
    const width = Math.max(...reports.map((report) => report.door.length));
    const failures = reports.flatMap((report) => report.failures);
    const lines = [
      '',
      `Fuzz report (seed ${FUZZ_SEED}, ${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded database'}${process.env.REDIS_URL ? ' + Redis' : ''})`,
      ...reports.map((report) => `  ${report.door.padEnd(width)}  ${String(report.inputs).padStart(6)} inputs  ${report.failures.length} failing properties`),
      `  ${'total'.padEnd(width)}  ${String(reports.reduce((sum, report) => sum + report.inputs, 0)).padStart(6)} inputs  ${failures.length} failing properties`,
      ...(failures.length > 0 ? ['', describeFailures(failures)] : []),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  };
}
