// CPU time used by each part of the system during a run, from /proc (Linux): our Node process (ingress, worker, API
// and both relays), the Temporal dev server, our PostgreSQL, Postfix, the sink. Processes are attributed by
// ancestry, so other PostgreSQL/Temporal instances on the machine (someone else's tests) are not counted.
import fs from 'node:fs';

interface Proc {
  pid: number;
  ppid: number;
  ticks: number;
}
export type Roots = Record<string, number[]>;

const TICKS_PER_S = 100; // USER_HZ on Linux

function snapshot(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields after "(comm)": state ppid ... utime(14th overall → index 11 here) stime(12)
      out.set(Number(name), { pid: Number(name), ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

function attribute(procs: Map<number, Proc>, roots: Roots): Map<string, number> {
  const owner = new Map<number, string>();
  for (const [label, pids] of Object.entries(roots)) for (const pid of pids) owner.set(pid, label);
  const labelOf = (pid: number): string | undefined => {
    for (let p: number | undefined = pid, depth = 0; p && depth < 20; p = procs.get(p)?.ppid, depth++) {
      const l = owner.get(p);
      if (l) return l;
    }
    return undefined;
  };
  const totals = new Map<string, number>();
  for (const p of procs.values()) {
    const l = labelOf(p.pid);
    if (l) totals.set(l, (totals.get(l) ?? 0) + p.ticks);
  }
  return totals;
}

/** Starts measuring; `stop()` returns CPU seconds per label (children count towards the nearest labelled ancestor). */
export function measureCpu(roots: () => Roots): { stop(): Record<string, number> } {
  const before = snapshot();
  return {
    stop() {
      const after = snapshot();
      const r = roots();
      // Only processes alive at both ends are compared; a process that started meanwhile counts from zero.
      const delta = new Map<number, Proc>();
      for (const p of after.values()) delta.set(p.pid, { ...p, ticks: p.ticks - (before.get(p.pid)?.ticks ?? 0) });
      const totals = attribute(delta, r);
      return Object.fromEntries([...totals].map(([k, t]) => [k, Math.round((t / TICKS_PER_S) * 10) / 10]));
    },
  };
}

export function postmasterPid(pgDataDir: string): number | undefined {
  try {
    return Number(fs.readFileSync(`${pgDataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}
