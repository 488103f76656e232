// npm run bench [-- --quick] [-- --only=http,growth,nplus1,scale,layers,pg,nested,fanout] [-- --profile]
// Phase scale runs on both engines: on PostgreSQL too when phase pg is not chosen (--no-pg: SQLite only).
// Phase fanout (bench/lib/fanout-phase.ts, not in the default set): 1,000 graphql-ws subscribers
// on one process while another process writes 100 missions a second (--fanout-client=graphql-ws:
// graphql-ws's own client for the subscribers instead of the lean one, bench/lib/fanout-client.ts).
//                [-- --pg-url=postgresql://…] [-- --pg-pool=10] [-- --postgraphile=<folder>]
//
// Runs every scenario against casebook and, in the same run and on the same data, against two
// baselines doing the same work (bench/servers): "bare" (node:http + the raw driver) and the
// "Apollo floor" (Apollo Server 5 + type-graphql, resolvers on the raw driver); on SQLite, then
// on PostgreSQL (phase pg, bench/lib/pg-phase.ts: the server --pg-url= or BENCH_POSTGRES_URL
// names, else an embedded one). Phase nested (bench/lib/nested-phase.ts) reads missions → jobs →
// cases in one request on both engines, with PostGraphile beside it on PostgreSQL when
// --postgraphile= (or BENCH_POSTGRAPHILE_DIR) names an installed PostGraphile folder. Prints a
// table of medians, p99s and ratios and writes every figure to bench-results.json.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PACKAGE_ROOT } from "../src/package-root.js";
import { BUILD_DIR, buildServers } from "./lib/build.js";
import { compare, figures, type ScenarioFigures } from "./lib/compare.js";
import { type FanoutFigures, printFanoutTable, runFanoutPhase } from "./lib/fanout-phase.js";
import { runInprocess } from "./lib/inprocess-child.js";
import { jobStatuses } from "./lib/job-statuses.js";
import { measureLayers } from "./lib/layers-run.js";
import { eventLoad, type LoadOptions, readLoad } from "./lib/load.js";
import { type NestedResults, runNestedPhase } from "./lib/nested-phase.js";
import { printNestedTable } from "./lib/nested-table.js";
import { type PgResults, printPostgresTable, runPostgresPhase } from "./lib/pg-phase.js";
import { postgraphileDir } from "./lib/postgraphile.js";
import { READ_QUERY } from "./lib/queries.js";
import { recordScaleRun, type ScaleRun } from "./lib/scale-results.js";
import { dataDir, type SeedInfo, seededDatabase, workingCopy } from "./lib/seed.js";
import { type SeedSpec, specForCases } from "./lib/seed-data.js";
import { type RunningServer, SERVER_KINDS, type ServerKind, startServer, useCompiled } from "./lib/servers.js";
import { median, round } from "./lib/stats.js";
import { fmt, layersTable, scaleTable, scenarioTable } from "./lib/table.js";

// ---------------------------------------------------------------------------------------------
// Settings

interface Profile {
  name: "full" | "quick";
  /** Cases in the database of the HTTP scenarios (jobs = cases / 10). */
  httpCases: number;
  /** Event throughput is measured at these sizes; httpCases and scaleCases are reused. */
  growthCases: [number, number, number];
  scaleCases: number;
  nplus1Jobs: number[];
  connections: number;
  durationS: number;
  warmupS: number;
  rounds: number;
  growthRounds: number;
  scaleSamples: number;
  startupSamples: number;
  layerRounds: number;
  layerOps: number;
}

const FULL: Profile = {
  name: "full",
  httpCases: 100_000,
  growthCases: [1_000, 100_000, 1_000_000],
  scaleCases: 1_000_000,
  nplus1Jobs: [10, 100, 1000],
  connections: 10,
  durationS: 8,
  warmupS: 3,
  rounds: 3,
  growthRounds: 2,
  scaleSamples: 3000,
  startupSamples: 3,
  layerRounds: 3,
  layerOps: 10000,
};

const QUICK: Profile = {
  name: "quick",
  httpCases: 10_000,
  growthCases: [1_000, 10_000, 100_000],
  scaleCases: 100_000,
  nplus1Jobs: [10, 100, 1000],
  connections: 10,
  durationS: 2,
  warmupS: 1,
  rounds: 2,
  growthRounds: 1,
  scaleSamples: 800,
  startupSamples: 2,
  layerRounds: 2,
  layerOps: 3000,
};

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);

const profile: Profile = { ...(flag("quick") ? QUICK : FULL) };
if (option("duration")) profile.durationS = Number(option("duration"));
if (option("rounds")) profile.rounds = profile.growthRounds = Number(option("rounds"));
if (option("connections")) profile.connections = Number(option("connections"));
const phases = new Set((option("only") ?? "nplus1,http,growth,scale,layers,pg,nested").split(","));
const profiling = flag("profile");

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// ---------------------------------------------------------------------------------------------
// Results

const results = {
  machine: machine(),
  profile: profile.name,
  settings: {
    connections: profile.connections,
    durationS: profile.durationS,
    warmupS: profile.warmupS,
    rounds: profile.rounds,
    growthRounds: profile.growthRounds,
    sqliteSynchronous: "FULL",
    serversFrom: "",
  },
  scenarios: {} as Record<string, ScenarioFigures>,
  nplus1_statements: {} as Record<string, number>,
  rss_mb: null as number | null,
  startup_ms: null as number | null,
  seed: {} as Record<string, unknown>,
  /** CPU µs per operation in one process, without HTTP, layer by layer (bench/layers.ts). */
  layers: {} as Record<string, Record<string, number>>,
  notes: [] as string[],
  /** The PostgreSQL phase (bench/lib/pg-phase.ts). */
  postgres: undefined as PgResults | undefined,
  /** The nested phase, both engines (bench/lib/nested-phase.ts). */
  nested: undefined as NestedResults | undefined,
  /** The fan-out phase (bench/lib/fanout-phase.ts). */
  fanout: undefined as FanoutFigures[] | undefined,
};

function machine() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? "unknown",
    cores: cpus.length,
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
    date: new Date().toISOString(),
  };
}

const compareSettings = () => ({ warmupS: profile.warmupS, durationS: profile.durationS, log });

// ---------------------------------------------------------------------------------------------
// Servers on one data set

async function startAll(file: string, env: Record<string, string> = {}): Promise<Record<ServerKind, RunningServer>> {
  const servers = {} as Record<ServerKind, RunningServer>;
  for (const kind of SERVER_KINDS) {
    servers[kind] = await startServer(kind, {
      database: file,
      env,
      nodeFlags:
        profiling && kind === "casebook" ? ["--cpu-prof", `--cpu-prof-dir=${path.join(dataDir(), "profiles")}`] : [],
    });
  }
  return servers;
}

async function stopAll(servers: Record<ServerKind, RunningServer>): Promise<void> {
  await Promise.all(SERVER_KINDS.map((kind) => servers[kind].stop()));
}

const sizeLabel = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}m` : n >= 1000 ? `${n / 1000}k` : String(n));

function seedFor(cases: number): SeedInfo {
  const info = seededDatabase(`cases-${sizeLabel(cases)}`, specForCases(cases), log);
  // The first use of a size tells whether this run seeded it.
  results.seed[sizeLabel(cases)] ??= {
    rows: info.rows,
    seconds: round(info.seconds, 1),
    rowsPerSecond: Math.round(info.rowsPerSecond),
    fileMb: round(info.fileMb, 0),
    cachedFromEarlierRun: info.cached,
  };
  return info;
}

function eventScenario(file: string, seed: SeedInfo) {
  return (server: RunningServer, durationS: number) =>
    eventLoad(loadOptions(server, durationS), jobStatuses(file), seed.poolJobIds);
}

function loadOptions(server: RunningServer, durationS: number): LoadOptions {
  return { origin: server.origin, connections: profile.connections, durationS };
}

// ---------------------------------------------------------------------------------------------
// Phases

async function phaseNplus1(): Promise<void> {
  log("N+1 guard: statements for the nested missions → jobs → cases query");
  for (const jobs of profile.nplus1Jobs) {
    const spec: SeedSpec = {
      missions: Math.max(1, jobs / 10),
      jobs,
      cases: jobs * 5,
      poolJobs: 0,
      bigJobs: 0,
      casesPerBigJob: 0,
      aggregateMissionCases: 0,
    };
    const seed = seededDatabase(`nplus1-${jobs}`, spec, log);
    const file = workingCopy(seed.file, `nplus1-${jobs}`);
    const r = (await runInprocess("nplus1", file)) as {
      statements: number;
      missions: number;
      jobs: number;
      cases: number;
      stable: boolean;
    };
    results.nplus1_statements[String(jobs)] = r.statements;
    log(
      `  ${jobs} jobs: ${r.statements} statements (${r.missions} missions, ${r.jobs} jobs, ${r.cases} cases returned)`,
    );
  }
  const counts = new Set(Object.values(results.nplus1_statements));
  if (counts.size !== 1)
    results.notes.push(
      `N+1 guard FAILED: statement counts differ by size ${JSON.stringify(results.nplus1_statements)}`,
    );
}

async function phaseHttp(): Promise<void> {
  const seed = seedFor(profile.httpCases);
  const file = workingCopy(seed.file, "http");
  log(
    `HTTP scenarios on ${sizeLabel(profile.httpCases)} cases: ${profile.connections} connections, ${profile.durationS} s runs, ${profile.rounds} interleaved rounds`,
  );
  const servers = await startAll(file);
  try {
    const event = await compare("event", servers, profile.rounds, eventScenario(file, seed), compareSettings());
    results.scenarios.lifecycle_event_http = {
      ...figures(event),
      query: "handleJobEvent(id, event) { id status version }",
    };
    const read = await compare(
      "read",
      servers,
      profile.rounds,
      (server, durationS) => readLoad(loadOptions(server, durationS), seed.sampleJobIds),
      compareSettings(),
    );
    results.scenarios.read_job_cases_http = { ...figures(read), query: READ_QUERY };
    if (phases.has("growth")) {
      // This is the event scenario at this size: the growth series reuses it.
      results.scenarios[`event_growth_${sizeLabel(profile.httpCases)}`] = {
        ...figures(event),
        sameRunAs: "lifecycle_event_http",
      };
    }
  } finally {
    await stopAll(servers);
  }
  // The same events with SQLITE_SYNCHRONOUS=NORMAL on all three servers: how much of an event
  // is the fsync of each commit.
  log("event scenario again with SQLITE_SYNCHRONOUS=NORMAL (no fsync per commit) on all three servers");
  const normal = await startAll(file, { SQLITE_SYNCHRONOUS: "NORMAL" });
  try {
    const event = await compare(
      "event/NORMAL",
      normal,
      profile.growthRounds,
      eventScenario(file, seed),
      compareSettings(),
    );
    results.scenarios.lifecycle_event_http_synchronous_normal = { ...figures(event), sqliteSynchronous: "NORMAL" };
  } finally {
    await stopAll(normal);
  }
}

async function phaseGrowth(cases: number, withStartup: boolean): Promise<void> {
  const seed = seedFor(cases);
  const file = workingCopy(seed.file, `growth-${sizeLabel(cases)}`);
  log(`event throughput on ${sizeLabel(cases)} cases (${seed.rows.total.toLocaleString("en")} rows)`);
  if (withStartup) {
    const startups: number[] = [];
    for (let i = 0; i < profile.startupSamples; i++) {
      const server = await startServer("casebook", { database: file });
      startups.push(server.startupMs);
      await server.stop();
    }
    results.startup_ms = Math.round(median(startups));
    results.scenarios[`startup_${sizeLabel(cases)}`] = {
      casebook: Math.round(median(startups)),
      bare: null,
      apolloFloor: null,
      ratioToBare: null,
      ratioToFloor: null,
      unit: "ms from spawn to /health 200",
      p50_ms: Math.round(median(startups)),
      p99_ms: Math.round(Math.max(...startups)),
      samples: startups.map(Math.round),
    };
    log(`  casebook start-up on ${sizeLabel(cases)} cases: ${startups.map(Math.round).join(", ")} ms`);
  }
  const servers = await startAll(file);
  try {
    const event = await compare(
      `event@${sizeLabel(cases)}`,
      servers,
      profile.growthRounds,
      eventScenario(file, seed),
      compareSettings(),
    );
    results.scenarios[`event_growth_${sizeLabel(cases)}`] = figures(event);
    if (withStartup) {
      await exerciseReads(servers.casebook, seed);
      results.rss_mb = round(servers.casebook.rssMb(), 0);
      results.scenarios[`rss_${sizeLabel(cases)}`] = {
        casebook: round(servers.casebook.rssMb(), 0),
        bare: round(servers.bare.rssMb(), 0),
        apolloFloor: round(servers.apolloFloor.rssMb(), 0),
        ratioToBare: null,
        ratioToFloor: null,
        unit: "MB resident after load",
        p50_ms: NaN,
        p99_ms: NaN,
        peakMb: round(servers.casebook.peakRssMb(), 0),
      };
      log(
        `  casebook RSS after load and reads: ${results.rss_mb} MB (peak ${round(servers.casebook.peakRssMb(), 0)} MB)`,
      );
    }
  } finally {
    await stopAll(servers);
  }
}

/** Reads over HTTP across the big file (lists, deep pages, ids), so RSS is measured after real use. */
async function exerciseReads(server: RunningServer, seed: SeedInfo): Promise<void> {
  const post = (query: string, variables: Record<string, unknown>) =>
    fetch(`${server.origin}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query, variables }),
    }).then(
      (r) =>
        r.json() as Promise<{
          data: Record<string, { pageInfo?: { endCursor: string }; cases?: { pageInfo: { endCursor: string } } }>;
        }>,
    );
  let after: string | null = null;
  for (let i = 0; i < 200; i++) {
    const body = await post(
      `query($after: String) { jobs(status: [IN_PROGRESS], first: 50, after: $after) { edges { node { id name status } } pageInfo { endCursor } } }`,
      { after },
    );
    after = body.data.jobs?.pageInfo?.endCursor ?? null;
  }
  for (const id of seed.bigJobIds) {
    let cursor: string | null = null;
    for (let i = 0; i < 100; i++) {
      const body = await post(
        `query($id: ID!, $after: String) { job(id: $id) { cases(first: 50, after: $after) { edges { node { id status } } pageInfo { endCursor } } } }`,
        { id, after: cursor },
      );
      cursor = body.data.job?.cases?.pageInfo.endCursor ?? null;
      if (!cursor) break;
    }
  }
  for (const id of seed.sampleCaseIds.slice(0, 2000))
    await post(`query($id: ID!) { case(id: $id) { id name status } }`, { id });
}

async function phaseScale(): Promise<void> {
  const seed = seedFor(profile.scaleCases);
  const file = workingCopy(seed.file, `scale-${sizeLabel(profile.scaleCases)}`);
  const seedInfoFile = path.join(dataDir(), "work", "scale-seed.json");
  fs.writeFileSync(seedInfoFile, JSON.stringify(seed));
  log(`in-process latency on ${sizeLabel(profile.scaleCases)} cases (${profile.scaleSamples} samples each)`);
  const r = (await runInprocess("scale", file, [seedInfoFile], {
    BENCH_SCALE_SAMPLES: String(profile.scaleSamples),
  })) as ScaleRun;
  recordScaleRun(r, "", sizeLabel(profile.scaleCases), results.scenarios, log);
  results.seed.inprocessRssMb = round(r.rssMb, 0);
}

async function phaseLayers(): Promise<void> {
  const seed = seededDatabase("cases-10k", specForCases(10_000), log);
  const file = workingCopy(seed.file, "layers");
  const seedInfoFile = path.join(dataDir(), "work", "layers-seed.json");
  fs.writeFileSync(seedInfoFile, JSON.stringify(seed));
  log(`layers: CPU µs per operation in one process, ${profile.layerRounds} interleaved rounds of ${profile.layerOps}`);
  results.layers = await measureLayers({
    database: file,
    seedInfoFile,
    rounds: profile.layerRounds,
    operations: profile.layerOps,
    log,
  });
}

// ---------------------------------------------------------------------------------------------
// Report

function printTable(): string {
  const lines = [
    ...scenarioTable("scenario (req/s)", "server CPU µs/req casebook / bare / floor", results.scenarios),
    "",
    ...scaleTable("scale (in-process)", results.scenarios),
    ...layersTable(`CPU µs per operation, in-process (best of ${profile.layerRounds})`, results.layers),
  ];
  lines.push(
    "",
    `N+1 guard (statements for the nested query): ${
      Object.entries(results.nplus1_statements)
        .map(([k, v]) => `${k} jobs → ${v}`)
        .join(", ") || "–"
    }`,
    `start-up to /health on the scale file: ${fmt(results.startup_ms)} ms; casebook RSS with it open after load: ${fmt(results.rss_mb)} MB`,
  );
  for (const [size, s] of Object.entries(results.seed)) {
    if (typeof s === "object" && s && "rowsPerSecond" in s) {
      const seed = s as {
        rows: { total: number };
        rowsPerSecond: number;
        seconds: number;
        cachedFromEarlierRun: boolean;
      };
      lines.push(
        `seed ${size}: ${seed.rows.total.toLocaleString("en")} rows at ${seed.rowsPerSecond.toLocaleString("en")} rows/s (${seed.seconds} s${seed.cachedFromEarlierRun ? ", cached from an earlier run" : ""})`,
      );
    }
  }
  const m = results.machine;
  lines.push(
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.os}, load average at start ${m.loadAverageAtStart.join(" ")}`,
  );
  for (const note of results.notes) lines.push(`note: ${note}`);
  return lines.join("\n");
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  log(`profile ${profile.name}; phases ${[...phases].join(", ")}`);
  const build = buildServers();
  useCompiled(build.compiled ? BUILD_DIR : undefined);
  results.settings.serversFrom = build.compiled ? "compiled JavaScript (tsc)" : "TypeScript under tsx";
  if (build.note) results.notes.push(build.note);
  log(`servers run from ${results.settings.serversFrom} (build ${build.seconds.toFixed(1)} s)`);

  if (phases.has("nplus1")) await phaseNplus1();
  if (phases.has("http")) await phaseHttp();
  if (phases.has("growth")) {
    await phaseGrowth(profile.growthCases[0], false);
    if (profile.growthCases[1] !== profile.httpCases || !phases.has("http"))
      await phaseGrowth(profile.growthCases[1], false);
    await phaseGrowth(profile.growthCases[2], true);
  }
  if (phases.has("scale")) await phaseScale();
  if (phases.has("layers")) await phaseLayers();
  // The scale phase measures both engines: without the whole PostgreSQL phase, its scale part.
  if (phases.has("pg") || (phases.has("scale") && !flag("no-pg"))) {
    results.postgres = await runPostgresPhase({
      parts: phases.has("pg") ? undefined : ["scale"],
      url: option("pg-url") ?? process.env.BENCH_POSTGRES_URL,
      poolSize: Number(option("pg-pool") ?? 10),
      httpCases: profile.httpCases,
      growthCases: profile.growthCases,
      scaleCases: profile.scaleCases,
      nplus1Jobs: profile.nplus1Jobs,
      connections: profile.connections,
      durationS: profile.durationS,
      warmupS: profile.warmupS,
      rounds: profile.rounds,
      growthRounds: profile.growthRounds,
      scaleSamples: profile.scaleSamples,
      layerRounds: profile.layerRounds,
      // Each operation waits on the database's round trips: fewer of them keep the phase short.
      layerOps: Math.round(profile.layerOps / 3),
      profileDir: profiling ? path.join(dataDir(), "profiles") : undefined,
      log,
    });
  }

  if (phases.has("nested")) {
    results.nested = await runNestedPhase({
      connections: profile.connections,
      durationS: profile.durationS,
      warmupS: profile.warmupS,
      rounds: profile.rounds,
      pgUrl: option("pg-url") ?? process.env.BENCH_POSTGRES_URL,
      pgPoolSize: Number(option("pg-pool") ?? 10),
      postgraphileDir: postgraphileDir(option("postgraphile")),
      log,
    });
  }

  if (phases.has("fanout")) {
    results.fanout = await runFanoutPhase({
      seconds: flag("quick") ? 5 : 20,
      client: option("fanout-client") === "graphql-ws" ? "graphql-ws" : "lean",
      pgUrl: option("pg-url") ?? process.env.BENCH_POSTGRES_URL,
      log,
    });
  }

  results.notes.push(`total bench time ${Math.round((Date.now() - started) / 1000)} s`);
  fs.writeFileSync(path.join(PACKAGE_ROOT, "bench-results.json"), `${JSON.stringify(results, null, 2)}\n`);
  if ([...phases].some((phase) => phase !== "pg" && phase !== "nested" && phase !== "fanout"))
    process.stdout.write(`${printTable()}\n\n`);
  if (results.postgres) process.stdout.write(`${printPostgresTable(results.postgres)}\n\n`);
  if (results.nested) process.stdout.write(`${printNestedTable(results.nested)}\n`);
  if (results.fanout) process.stdout.write(`${printFanoutTable(results.fanout)}\n`);
  log("wrote bench-results.json");
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
