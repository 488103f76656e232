// The PostgreSQL phase of `npm run bench`: casebook on PostgreSQL (the real main.js with a
// postgres:// DATABASE_URL) against the same two baselines on node-postgres, each server in its
// own process with a pool of the same size, on copies of the same seeded database; and, in a
// casebook process alone, the statements each operation sends, the N+1 guard and the latencies
// on a large database. The data are those of the SQLite phase (seed-data.ts).
import fs from "node:fs";
import path from "node:path";
import { type CompareSettings, compare, figures, type ScenarioFigures } from "./compare.js";
import { runInprocess } from "./inprocess-child.js";
import { jobStatuses } from "./job-statuses.js";
import { measureLayers } from "./layers-run.js";
import { eventLoad, type LoadOptions, readLoad } from "./load.js";
import { dropPgWorkingCopies, type PgSeedInfo, pgWorkingCopy, seededPgDatabase } from "./pg-seed.js";
import { type BenchPostgres, benchPostgres } from "./pg-server.js";
import { READ_QUERY } from "./queries.js";
import { recordScaleRun, type ScaleRun } from "./scale-results.js";
import { dataDir } from "./seed.js";
import { type SeedSpec, specForCases } from "./seed-data.js";
import { type RunningServer, SERVER_KINDS, type ServerKind, startServer } from "./servers.js";
import { round } from "./stats.js";
import { fmt, layersTable, scaleTable, scenarioTable } from "./table.js";

export interface PgPhaseSettings {
  /** A server to use (--pg-url=, BENCH_POSTGRES_URL); else the embedded one. */
  url: string | undefined;
  poolSize: number;
  httpCases: number;
  growthCases: readonly number[];
  scaleCases: number;
  nplus1Jobs: readonly number[];
  connections: number;
  durationS: number;
  warmupS: number;
  rounds: number;
  growthRounds: number;
  scaleSamples: number;
  layerRounds: number;
  layerOps: number;
  /** Where casebook's CPU profiles go, when profiling. */
  profileDir: string | undefined;
  /** The parts to run (all when left out): the scale phase alone runs "scale" on PostgreSQL. */
  parts?: readonly PgPart[];
  log: (line: string) => void;
}

const PG_PARTS = ["nplus1", "http", "growth", "scale", "layers"] as const;
type PgPart = (typeof PG_PARTS)[number];

export interface PgResults {
  server: { origin: string; settings: Record<string, string> };
  poolSize: number;
  scenarios: Record<string, ScenarioFigures>;
  /** Statements per operation, each a round trip (inprocess.ts roundtrips). */
  roundTrips: Record<string, { samples: number; mean: number; min: number; max: number }>;
  nplus1_statements: Record<string, number>;
  startup_ms: number | null;
  seed: Record<string, unknown>;
  /** CPU µs per operation of casebook's process alone, layer by layer (layers-run.ts). */
  layers: Record<string, Record<string, number>>;
  notes: string[];
}

const sizeLabel = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}m` : n >= 1000 ? `${n / 1000}k` : String(n));

export async function runPostgresPhase(settings: PgPhaseSettings): Promise<PgResults> {
  const { log } = settings;
  const server = await benchPostgres(settings.url, log);
  log(
    `PostgreSQL: ${server.origin}, ${server.settings.server_version}, fsync ${server.settings.fsync}, ` +
      `synchronous_commit ${server.settings.synchronous_commit}, pool ${settings.poolSize} per server`,
  );
  const results: PgResults = {
    server: { origin: server.origin, settings: server.settings },
    poolSize: settings.poolSize,
    scenarios: {},
    roundTrips: {},
    nplus1_statements: {},
    startup_ms: null,
    seed: {},
    layers: {},
    notes: [],
  };
  const phase = new PostgresPhase(server, settings, results);
  try {
    for (const part of settings.parts ?? PG_PARTS) await phase[part]();
  } finally {
    await dropPgWorkingCopies(server.url).catch(() => undefined);
    await server.close();
  }
  return results;
}

class PostgresPhase {
  constructor(
    private readonly server: BenchPostgres,
    private readonly settings: PgPhaseSettings,
    private readonly results: PgResults,
  ) {}

  private get compareSettings(): CompareSettings {
    const { warmupS, durationS, log } = this.settings;
    return { warmupS, durationS, log, databaseCpuSeconds: () => this.server.cpuSeconds() };
  }

  private async seed(cases: number): Promise<PgSeedInfo> {
    const info = await seededPgDatabase(
      this.server.url,
      `cases_${sizeLabel(cases)}`,
      specForCases(cases),
      this.settings.log,
    );
    this.results.seed[sizeLabel(cases)] = {
      rows: info.rows,
      seconds: round(info.seconds, 1),
      copySeconds: round(info.copySeconds, 1),
      indexSeconds: round(info.indexSeconds, 1),
      rowsPerSecond: Math.round(info.rowsPerSecond),
      databaseMb: round(info.databaseMb, 0),
      cachedFromEarlierRun: info.cached,
    };
    return info;
  }

  /** Seed information as a file, for the in-process child. */
  private seedFile(seed: PgSeedInfo, name: string): string {
    const file = path.join(dataDir(), "work", `pg-${name}-seed.json`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(seed));
    return file;
  }

  private async startAll(url: string): Promise<Record<ServerKind, RunningServer>> {
    const servers = {} as Record<ServerKind, RunningServer>;
    const { profileDir, poolSize } = this.settings;
    for (const kind of SERVER_KINDS) {
      servers[kind] = await startServer(kind, {
        database: url,
        env: { DATABASE_POOL_SIZE: String(poolSize) },
        nodeFlags: profileDir && kind === "casebook" ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
      });
    }
    return servers;
  }

  private loadOptions(server: RunningServer, durationS: number): LoadOptions {
    return { origin: server.origin, connections: this.settings.connections, durationS };
  }

  private eventScenario(url: string, seed: PgSeedInfo) {
    return (server: RunningServer, durationS: number) =>
      eventLoad(this.loadOptions(server, durationS), jobStatuses(url), seed.poolJobIds);
  }

  async nplus1(): Promise<void> {
    const { log } = this.settings;
    log("PostgreSQL N+1 guard: statements for the nested missions → jobs → cases query");
    for (const jobs of this.settings.nplus1Jobs) {
      const spec: SeedSpec = {
        missions: Math.max(1, jobs / 10),
        jobs,
        cases: jobs * 5,
        poolJobs: 0,
        bigJobs: 0,
        casesPerBigJob: 0,
        aggregateMissionCases: 0,
      };
      const seed = await seededPgDatabase(this.server.url, `nplus1_${jobs}`, spec, log);
      const url = await pgWorkingCopy(this.server.url, seed.database, `nplus1_${jobs}`);
      const r = (await runInprocess("nplus1", url)) as { statements: number; jobs: number; cases: number };
      this.results.nplus1_statements[String(jobs)] = r.statements;
      log(`  ${jobs} jobs: ${r.statements} statements (${r.jobs} jobs, ${r.cases} cases returned)`);
    }
    if (new Set(Object.values(this.results.nplus1_statements)).size !== 1)
      this.results.notes.push(
        `N+1 guard FAILED on PostgreSQL: statement counts differ by size ${JSON.stringify(this.results.nplus1_statements)}`,
      );
  }

  async http(): Promise<void> {
    const { log, httpCases, rounds } = this.settings;
    const seed = await this.seed(httpCases);
    const url = await pgWorkingCopy(this.server.url, seed.database, "http");

    const trips = (await runInprocess("roundtrips", url, [this.seedFile(seed, "http")])) as PgResults["roundTrips"];
    this.results.roundTrips = trips;
    log(
      `  statements per operation: event ${trips.event!.mean} (${trips.event!.min}–${trips.event!.max}), ` +
        `read ${trips.read!.mean} (${trips.read!.min}–${trips.read!.max})`,
    );

    log(
      `PostgreSQL HTTP scenarios on ${sizeLabel(httpCases)} cases: ${this.settings.connections} connections, ` +
        `${this.settings.durationS} s runs, ${rounds} interleaved rounds`,
    );
    const servers = await this.startAll(url);
    try {
      const event = await compare("pg event", servers, rounds, this.eventScenario(url, seed), this.compareSettings);
      this.results.scenarios.pg_lifecycle_event_http = {
        ...figures(event),
        query: "handleJobEvent(id, event) { id status version }",
      };
      this.results.scenarios[`pg_event_growth_${sizeLabel(httpCases)}`] = {
        ...figures(event),
        sameRunAs: "pg_lifecycle_event_http",
      };
      const read = await compare(
        "pg read",
        servers,
        rounds,
        (server, durationS) => readLoad(this.loadOptions(server, durationS), seed.sampleJobIds),
        this.compareSettings,
      );
      this.results.scenarios.pg_read_job_cases_http = { ...figures(read), query: READ_QUERY };
    } finally {
      await Promise.all(SERVER_KINDS.map((kind) => servers[kind].stop()));
    }
  }

  async growth(): Promise<void> {
    const { log, growthCases, growthRounds, httpCases } = this.settings;
    const largest = Math.max(...growthCases);
    for (const cases of growthCases) {
      if (cases === httpCases) continue;
      const seed = await this.seed(cases);
      const url = await pgWorkingCopy(this.server.url, seed.database, `growth_${sizeLabel(cases)}`);
      log(`PostgreSQL event throughput on ${sizeLabel(cases)} cases (${seed.rows.total.toLocaleString("en")} rows)`);
      const servers = await this.startAll(url);
      if (cases === largest) {
        this.results.startup_ms = Math.round(servers.casebook.startupMs);
        log(`  casebook start-up on ${sizeLabel(cases)} cases: ${this.results.startup_ms} ms (spawn to /health 200)`);
      }
      try {
        const event = await compare(
          `pg event@${sizeLabel(cases)}`,
          servers,
          growthRounds,
          this.eventScenario(url, seed),
          this.compareSettings,
        );
        this.results.scenarios[`pg_event_growth_${sizeLabel(cases)}`] = figures(event);
      } finally {
        await Promise.all(SERVER_KINDS.map((kind) => servers[kind].stop()));
      }
    }
  }

  async scale(): Promise<void> {
    const { log, scaleCases, scaleSamples } = this.settings;
    const seed = await this.seed(scaleCases);
    const url = await pgWorkingCopy(this.server.url, seed.database, "scale");
    log(`PostgreSQL in-process latency on ${sizeLabel(scaleCases)} cases (${scaleSamples} samples each)`);
    const r = (await runInprocess("scale", url, [this.seedFile(seed, "scale")], {
      BENCH_SCALE_SAMPLES: String(scaleSamples),
    })) as ScaleRun;
    recordScaleRun(r, "pg_", sizeLabel(scaleCases), this.results.scenarios, log);
  }

  async layers(): Promise<void> {
    const { log, httpCases, layerRounds, layerOps } = this.settings;
    const seed = await this.seed(httpCases);
    const url = await pgWorkingCopy(this.server.url, seed.database, "layers");
    log(`PostgreSQL layers: CPU µs per operation in one process, ${layerRounds} interleaved rounds of ${layerOps}`);
    this.results.layers = await measureLayers({
      database: url,
      seedInfoFile: this.seedFile(seed, "layers"),
      rounds: layerRounds,
      operations: layerOps,
      log,
    });
  }
}

/** The phase's figures as Markdown tables. */
export function printPostgresTable(results: PgResults): string {
  const s = results.server.settings;
  const lines = [
    `PostgreSQL ${s.server_version} (${results.server.origin}): fsync ${s.fsync}, synchronous_commit ${s.synchronous_commit}, ` +
      `full_page_writes ${s.full_page_writes}, shared_buffers ${s.shared_buffers}; pool ${results.poolSize} connections per server`,
    "",
    ...scenarioTable(
      "PostgreSQL scenario (req/s)",
      "node CPU µs/req casebook / bare / floor",
      results.scenarios,
      "database CPU µs/req casebook / bare / floor",
    ),
    "",
    ...scaleTable("PostgreSQL scale (in-process)", results.scenarios),
  ];
  const trips = Object.entries(results.roundTrips)
    .map(([op, t]) => `${op} ${fmt(t.mean, 2)} (${t.min}–${t.max})`)
    .join(", ");
  lines.push(
    "",
    `PostgreSQL statements (round trips) per operation: ${trips || "–"}`,
    `PostgreSQL N+1 guard (statements for the nested query): ${
      Object.entries(results.nplus1_statements)
        .map(([k, v]) => `${k} jobs → ${v}`)
        .join(", ") || "–"
    }`,
    `casebook start-up on PostgreSQL (largest growth database): ${fmt(results.startup_ms)} ms`,
  );
  for (const [size, seed] of Object.entries(results.seed)) {
    const v = seed as {
      rows: { total: number };
      rowsPerSecond: number;
      seconds: number;
      copySeconds: number;
      indexSeconds: number;
      databaseMb: number;
      cachedFromEarlierRun: boolean;
    };
    lines.push(
      `PostgreSQL seed ${size}: ${v.rows.total.toLocaleString("en")} rows at ${v.rowsPerSecond.toLocaleString("en")} rows/s ` +
        `(${v.seconds} s: COPY ${v.copySeconds} s, keys/indexes/VACUUM ${v.indexSeconds} s; ${v.databaseMb} MB` +
        `${v.cachedFromEarlierRun ? "; cached from an earlier run" : ""})`,
    );
  }
  lines.push(...layersTable("PostgreSQL: casebook's process CPU µs per operation, in-process", results.layers));
  for (const note of results.notes) lines.push(`note: ${note}`);
  return lines.join("\n");
}
