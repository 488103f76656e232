// What Linux's /proc says of a process: CPU time and memory, for the benchmarks' per-request
// and per-delivery figures (steadier than throughput on a shared machine).
import fs from "node:fs";

// Clock ticks per second of /proc/<pid>/stat: 100 on every Linux this runs on (USER_HZ).
export const CLOCK_TICKS = 100;

/** Fields of /proc/<pid>/stat from the state on (the command name may contain spaces); undefined once it is gone. */
export function procStat(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** User + system CPU time of a process so far, in seconds. */
export function procCpuSeconds(pid: number): number {
  const fields = procStat(pid);
  if (fields === undefined) throw new Error(`no process ${pid}`);
  // utime and stime: fields 14 and 15 of the line, 11 and 12 from the state on.
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}

/** A memory figure of /proc/<pid>/status (VmRSS, VmHWM), in kB. */
export function procStatusKb(pid: number, field: "VmRSS" | "VmHWM"): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(new RegExp(`^${field}:\\s+(\\d+)`, "m").exec(status)?.[1] ?? NaN);
}
