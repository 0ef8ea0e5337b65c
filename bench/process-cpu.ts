import { readdirSync, readFileSync } from 'node:fs';

/** CPU time (user + system, ms) of the stack's parts that serve a request through the gate. */
export interface CpuByPart {
  authServer: number;
  nginx: number;
  orthanc: number;
}

/** Linux's USER_HZ: /proc counts CPU time in hundredths of a second on every architecture Node runs on. */
const MS_PER_TICK = 10;

interface ProcStat {
  ppid: number;
  comm: string;
  ticks: number;
}

function readStat(pid: string): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
    const close = stat.lastIndexOf(')');
    const fields = stat.slice(close + 2).split(' ');
    return { ppid: Number(fields[1]), comm: stat.slice(stat.indexOf('(') + 1, close), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // exited meanwhile
  }
}

/**
 * The CPU time used so far by the auth server, and by every Nginx and Orthanc process below `rootPid`
 * (the benchmark: its Nginx workers are its grandchildren). The machine's other processes, other
 * runs on a shared machine included, are not counted: CPU per request holds where req/s is noise.
 */
export function readStackCpu(rootPid: number, authServerPid: number): CpuByPart {
  const stats = new Map<number, ProcStat>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(entry);
    if (stat) stats.set(Number(entry), stat);
  }
  const below = (pid: number): boolean => {
    for (let parent = stats.get(pid)?.ppid; parent !== undefined && parent > 1; parent = stats.get(parent)?.ppid) if (parent === rootPid) return true;
    return false;
  };
  const cpu: CpuByPart = { authServer: 0, nginx: 0, orthanc: 0 };
  for (const [pid, { comm, ticks }] of stats) {
    if (pid === authServerPid) cpu.authServer += ticks * MS_PER_TICK;
    else if (comm.startsWith('nginx') && below(pid)) cpu.nginx += ticks * MS_PER_TICK;
    else if (comm.toLowerCase().startsWith('orthanc') && below(pid)) cpu.orthanc += ticks * MS_PER_TICK;
  }
  return cpu;
}

export const cpuUsed = (before: CpuByPart, after: CpuByPart): CpuByPart => ({
  authServer: after.authServer - before.authServer,
  nginx: after.nginx - before.nginx,
  orthanc: after.orthanc - before.orthanc,
});
