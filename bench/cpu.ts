// Who used the CPU during a measurement. On two cores the server, the load
// generator and PostgreSQL compete for the same cores (and so does anything
// else running on the machine); a throughput figure means little without this.
// Per-process figures come from /proc (Linux); elsewhere they are missing.
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Cores used on average over the window (1 = one core fully busy). */
export interface CpuShares {
  /** The target's processes together (API and workers when they are separate). */
  server: number | undefined;
  loadGenerator: number;
  /** Every `postgres` process on the machine, not only the ones serving Baton. */
  postgres: number | undefined;
  /** Every other process, kernel threads included. */
  other: number | undefined;
  /** The biggest of those others, to tell what disturbed the measurement. */
  otherTop: { pid: number; command: string; cores: number }[];
  /** Busy share of all cores (1 = the whole machine). */
  machine: number;
}

/** USER_HZ: the unit of /proc/<pid>/stat times, 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;
const OTHER_TOP = 3;
/** Below this, another process is noise rather than a disturbance. */
const OTHER_WORTH_NAMING = 0.05;

type Snapshot = Map<number, { command: string; seconds: number }>;

export function watchCpu(serverPids: readonly number[]): { stop(): CpuShares } {
  const started = performance.now();
  const processes = snapshotProcesses();
  const own = process.cpuUsage();
  const machine = machineTimes();
  return {
    stop() {
      const seconds = (performance.now() - started) / 1000;
      const ownUsage = process.cpuUsage(own);
      const perProcess = processesCores(processes, snapshotProcesses(), seconds);
      const now = machineTimes();
      const shares = {
        loadGenerator: (ownUsage.user + ownUsage.system) / 1e6 / seconds,
        machine: now.total > machine.total ? 1 - (now.idle - machine.idle) / (now.total - machine.total) : 0,
      };
      if (!perProcess) return { ...shares, server: undefined, postgres: undefined, other: undefined, otherTop: [] };
      let postgres = 0;
      const others: CpuShares['otherTop'] = [];
      for (const usage of perProcess) {
        if (serverPids.includes(usage.pid) || usage.pid === process.pid) continue;
        if (usage.command === 'postgres') postgres += usage.cores;
        else others.push(usage);
      }
      others.sort((a, b) => b.cores - a.cores);
      return {
        ...shares,
        server: serverCores(perProcess, serverPids),
        postgres,
        other: others.reduce((sum, usage) => sum + usage.cores, 0),
        otherTop: others
          .filter((usage) => usage.cores >= OTHER_WORTH_NAMING)
          .slice(0, OTHER_TOP)
          .map((usage) => ({ ...usage, command: commandLine(usage.pid) ?? usage.command })),
      };
    },
  };
}

/** Undefined when a server process is not in /proc (it exited): a partial sum would mislead. */
function serverCores(perProcess: { pid: number; cores: number }[], serverPids: readonly number[]): number | undefined {
  let cores = 0;
  for (const pid of serverPids) {
    const usage = perProcess.find((candidate) => candidate.pid === pid);
    if (!usage) return undefined;
    cores += usage.cores;
  }
  return cores;
}

/** Busy share of all cores over the next `ms`: how quiet the machine is before we start. */
export async function sampleMachineBusy(ms: number): Promise<number> {
  const before = machineTimes();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = machineTimes();
  return after.total > before.total ? 1 - (after.idle - before.idle) / (after.total - before.total) : 0;
}

/** Processes that started during the window count in full; ones that exited are lost. */
function processesCores(before: Snapshot | undefined, after: Snapshot | undefined, seconds: number) {
  if (!before || !after) return undefined;
  return [...after].map(([pid, { command, seconds: used }]) => ({
    pid,
    command,
    cores: (used - (before.get(pid)?.seconds ?? 0)) / seconds,
  }));
}

function snapshotProcesses(): Snapshot | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return undefined;
  }
  const snapshot: Snapshot = new Map();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat) snapshot.set(Number(entry), stat);
  }
  return snapshot;
}

function readStat(pid: string): { command: string; seconds: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (command) state …": the command may contain spaces, so split after the last ')'.
    const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 11 and 12 after the state.
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? { command, seconds: ticks / TICKS_PER_SECOND } : undefined;
  } catch {
    return undefined; // exited meanwhile
  }
}

function commandLine(pid: number): string | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
    return line ? line.slice(0, 120) : undefined;
  } catch {
    return undefined;
  }
}

function machineTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const { times } of cpus()) {
    idle += times.idle;
    total += times.user + times.nice + times.sys + times.idle + times.irq;
  }
  return { idle, total };
}
