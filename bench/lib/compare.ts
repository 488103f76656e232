// Comparisons of casebook against the baselines (and, in the nested phase, a peer): a warm-up run
// per server, then interleaved rounds in rotating order (casebook, bare, floor; bare, floor,
// casebook; …), each ratio taken within its round, so that a slow moment of a shared machine
// weighs on all of them alike.
import type { LoadResult } from "./load.js";
import { settle } from "./load.js";
import { type MeasuredKind, type RunningServer, SERVER_KINDS, type ServerKind } from "./servers.js";
import { median, round } from "./stats.js";

export interface ScenarioFigures {
  casebook: number;
  bare: number | null;
  apolloFloor: number | null;
  ratioToBare: number | null;
  ratioToFloor: number | null;
  unit: string;
  p50_ms: number;
  p99_ms: number;
  [extra: string]: unknown;
}

export interface Measured extends LoadResult {
  /** Server CPU time per answered request: steadier than req/s on a shared machine. */
  cpuUsPerRequest: number;
  /** The database server's CPU time per request (PostgreSQL on this machine), else null. */
  dbCpuUsPerRequest: number | null;
}

export interface Comparison<K extends MeasuredKind = ServerKind> {
  byKind: Record<K, Measured[]>;
}

export type Load = (server: RunningServer, durationS: number) => Promise<LoadResult>;

export interface CompareSettings {
  warmupS: number;
  durationS: number;
  log: (line: string) => void;
  /** CPU seconds of the database server so far, when it is a process of this machine. */
  databaseCpuSeconds?: () => number | undefined;
}

async function measure(server: RunningServer, durationS: number, load: Load, settings: CompareSettings) {
  await settle();
  const cpuBefore = server.cpuSeconds();
  const dbBefore = settings.databaseCpuSeconds?.();
  const result = await load(server, durationS);
  // Counted after the requests still in flight at the end have been answered.
  await settle();
  const requests = Math.max(1, result.ok + result.failed);
  const cpu = server.cpuSeconds() - cpuBefore;
  const dbAfter = settings.databaseCpuSeconds?.();
  const dbCpu = dbBefore === undefined || dbAfter === undefined ? null : dbAfter - dbBefore;
  return {
    ...result,
    cpuUsPerRequest: (cpu * 1e6) / requests,
    dbCpuUsPerRequest: dbCpu === null ? null : (dbCpu * 1e6) / requests,
  };
}

export function rotate<T>(items: readonly T[], by: number): T[] {
  return items.map((_, i) => items[(i + by) % items.length]!);
}

/** Measures every server of `servers`, in its key order rotated by one each round. */
export async function compare<K extends MeasuredKind = ServerKind>(
  label: string,
  servers: Record<K, RunningServer>,
  rounds: number,
  load: Load,
  settings: CompareSettings,
): Promise<Comparison<K>> {
  const kinds = Object.keys(servers) as K[];
  const byKind = Object.fromEntries(kinds.map((kind) => [kind, []])) as unknown as Record<K, Measured[]>;
  for (const kind of kinds) await measure(servers[kind], settings.warmupS, load, settings);
  for (let r = 0; r < rounds; r++) {
    for (const kind of rotate(kinds, r)) {
      const result = await measure(servers[kind], settings.durationS, load, settings);
      if (result.failed > 0) settings.log(`  ${label} ${kind}: ${result.failed} failed (${result.firstFailure})`);
      const db = result.dbCpuUsPerRequest === null ? "" : ` + database ${Math.round(result.dbCpuUsPerRequest)} µs/req`;
      settings.log(
        `  ${label} round ${r + 1} ${kind.padEnd(12)} ${Math.round(result.rps).toString().padStart(6)} req/s  ` +
          `p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  server CPU ${Math.round(result.cpuUsPerRequest)} µs/req${db}`,
      );
      byKind[kind].push(result);
    }
  }
  return { byKind };
}

export function figures(comparison: Comparison, unit = "req/s"): ScenarioFigures {
  const { byKind } = comparison;
  const rps = (kind: ServerKind) => byKind[kind].map((r) => r.rps);
  const ratios = (base: ServerKind) => byKind.casebook.map((r, i) => r.rps / byKind[base][i]!.rps);
  const cpu = (kind: ServerKind) => Math.round(median(byKind[kind].map((r) => r.cpuUsPerRequest)));
  const dbCpu = (kind: ServerKind) => {
    const values = byKind[kind].map((r) => r.dbCpuUsPerRequest);
    return values.some((v) => v === null) ? null : Math.round(median(values as number[]));
  };
  return {
    casebook: round(median(rps("casebook")), 0),
    bare: round(median(rps("bare")), 0),
    apolloFloor: round(median(rps("apolloFloor")), 0),
    ratioToBare: round(median(ratios("bare")), 3),
    ratioToFloor: round(median(ratios("apolloFloor")), 3),
    unit,
    p50_ms: median(byKind.casebook.map((r) => r.p50Ms)),
    p99_ms: median(byKind.casebook.map((r) => r.p99Ms)),
    p99_ms_bare: median(byKind.bare.map((r) => r.p99Ms)),
    p99_ms_apolloFloor: median(byKind.apolloFloor.map((r) => r.p99Ms)),
    cpu_us_per_request: { casebook: cpu("casebook"), bare: cpu("bare"), apolloFloor: cpu("apolloFloor") },
    ...(dbCpu("casebook") === null
      ? {}
      : {
          db_cpu_us_per_request: {
            casebook: dbCpu("casebook"),
            bare: dbCpu("bare"),
            apolloFloor: dbCpu("apolloFloor"),
          },
        }),
    cpuRatioToFloor: round(cpu("apolloFloor") / cpu("casebook"), 3),
    cpuRatioToBare: round(cpu("bare") / cpu("casebook"), 3),
    failed: SERVER_KINDS.reduce((n, kind) => n + byKind[kind].reduce((m, r) => m + r.failed, 0), 0),
    perRound: Object.fromEntries(SERVER_KINDS.map((kind) => [kind, rps(kind).map((v) => Math.round(v))])),
  };
}
