// The nested phase of `npm run bench`: the nested reads of nested-reads.ts on SQLite and on
// PostgreSQL, each engine on its own copy of the same seeded data, against casebook, the Apollo
// floor and bare (and, on PostgreSQL, PostGraphile when its folder is given), each server in its
// own process, loaded in interleaved rounds (compare.ts). Before any load every server's answer
// is checked against casebook's (the same rows, field by field), its objects counted and, where
// the server can say, its statements per request counted.
import os from "node:os";
import { type CompareSettings, compare, type Measured } from "./compare.js";
import { runInprocess } from "./inprocess-child.js";
import { nestedLoad } from "./load.js";
import { countObjects, NESTED_READS, type NestedRead, type NestedReadName } from "./nested-reads.js";
import { dropPgWorkingCopies, pgWorkingCopy, seededPgDatabase } from "./pg-seed.js";
import { benchPostgres } from "./pg-server.js";
import { startPostGraphile } from "./postgraphile.js";
import { seededDatabase, workingCopy } from "./seed.js";
import type { SeedSpec } from "./seed-data.js";
import { type MeasuredKind, type RunningServer, SERVER_KINDS, startServer } from "./servers.js";
import { median, round } from "./stats.js";

export interface NestedSettings {
  connections: number;
  durationS: number;
  warmupS: number;
  rounds: number;
  /** PostgreSQL: a server to use (--pg-url=, BENCH_POSTGRES_URL), else the embedded one. */
  pgUrl: string | undefined;
  pgPoolSize: number;
  /** An installed PostGraphile folder (postgraphile.ts), or undefined to leave it out. */
  postgraphileDir: string | undefined;
  log: (line: string) => void;
}

export interface ServerFigures {
  rps: number;
  p50_ms: number;
  p99_ms: number;
  cpu_us_per_request: number;
  cpu_us_per_object: number;
  /** The PostgreSQL server's CPU per request (all its processes), when it runs on this machine. */
  db_cpu_us_per_request?: number;
  /** Statements per request (PostgreSQL: each a round trip); null where the server cannot say. */
  statements: number | null;
  perRound: number[];
}

interface NestedReadFigures {
  engine: "sqlite" | "postgresql";
  read: NestedReadName;
  query: string;
  /** Entities and transitions in one answer. */
  objects: number;
  servers: Partial<Record<MeasuredKind, ServerFigures>>;
  /** casebook's req/s ÷ each other server's, the median of the ratios within each round. */
  casebookRatio: Partial<Record<Exclude<MeasuredKind, "casebook">, number>>;
}

export interface NestedResults {
  reads: Record<string, NestedReadFigures>;
  notes: string[];
}

/** The two data sets: 10 and 20 missions, each with 100 jobs of 10 cases. */
const DATA_SETS: { missions: number; reads: NestedReadName[] }[] = [
  { missions: 10, reads: ["dashboard", "dashboard-rich"] },
  { missions: 20, reads: ["dashboard-20"] },
];

export const specFor = (missions: number): SeedSpec => ({
  missions,
  jobs: missions * 100,
  cases: missions * 1000,
  poolJobs: 0,
  bigJobs: 0,
  casesPerBigJob: 0,
  aggregateMissionCases: 0,
});

interface Engine {
  name: "sqlite" | "postgresql";
  /** A working copy of the data set of `missions` missions: a SQLite file or a PostgreSQL URL. */
  database(missions: number): Promise<string>;
  databaseCpuSeconds?: () => number | undefined;
  env: Record<string, string>;
}

export async function runNestedPhase(settings: NestedSettings): Promise<NestedResults> {
  const { log } = settings;
  const results: NestedResults = { reads: {}, notes: [] };
  await measureEngine(
    {
      name: "sqlite",
      database: async (missions) =>
        workingCopy(seededDatabase(`nested-${missions}`, specFor(missions), log).file, `nested-${missions}`),
      env: {},
    },
    settings,
    results,
  );
  const server = await benchPostgres(settings.pgUrl, log);
  try {
    await measureEngine(
      {
        name: "postgresql",
        database: async (missions) => {
          const seed = await seededPgDatabase(server.url, `nested_${missions}`, specFor(missions), log);
          return pgWorkingCopy(server.url, seed.database, `nested_${missions}`);
        },
        databaseCpuSeconds: () => server.cpuSeconds(),
        env: { DATABASE_POOL_SIZE: String(settings.pgPoolSize) },
      },
      settings,
      results,
    );
  } finally {
    await dropPgWorkingCopies(server.url).catch(() => undefined);
    await server.close();
  }
  if (settings.postgraphileDir)
    results.notes.push(
      `PostGraphile from ${settings.postgraphileDir} (node-postgres's default pool of 10); it serves the plain reads only ` +
        "(no validEvents); its statements are counted by bench/servers/count-pg-statements.mjs in its process",
    );
  return results;
}

async function measureEngine(engine: Engine, settings: NestedSettings, results: NestedResults): Promise<void> {
  const { log } = settings;
  // On a shared machine the load says how far absolute figures can be compared; ratios come
  // from within each round.
  const load = () =>
    os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ");
  const loadAtStart = load();
  for (const set of DATA_SETS) {
    const database = await engine.database(set.missions);
    const statements = (await runInprocess("nested", database, set.reads)) as Record<
      string,
      { statements: number; objects: number }
    >;
    const servers = {} as Record<MeasuredKind, RunningServer>;
    // Where each server's count of statements is read, but casebook's (inprocess.ts counts those).
    const statementsUrls: Partial<Record<MeasuredKind, string>> = {};
    try {
      for (const kind of SERVER_KINDS) {
        servers[kind] = await startServer(kind, { database, env: engine.env });
        if (kind !== "casebook") statementsUrls[kind] = `${servers[kind].origin}/statements`;
      }
      if (engine.name === "postgresql" && settings.postgraphileDir) {
        const peer = await startPostGraphile(settings.postgraphileDir, database);
        servers.postgraphile = peer.server;
        statementsUrls.postgraphile = peer.statementsUrl;
      }
      for (const name of set.reads) {
        const read = NESTED_READS.find((r) => r.name === name)!;
        const measured = withoutUnsupported(servers, read);
        const checked = await checkAnswers(measured, read);
        const counts = await serverStatements(measured, checked.bodies, statementsUrls);
        counts.casebook = statements[name]!.statements;
        log(
          `${engine.name} ${name}: ${checked.objects} objects, statements per request ` +
            Object.entries(counts)
              .map(([kind, n]) => `${kind} ${n ?? "?"}`)
              .join(", "),
        );
        const comparison = await compare(
          `${engine.name} ${name}`,
          measured,
          settings.rounds,
          (server, durationS) =>
            nestedLoad(
              { origin: server.origin, connections: settings.connections, durationS },
              checked.bodies[server.kind]!,
              checked.objects,
              server.kind === "postgraphile" ? (text) => countObjects(text, '"rowId":') : countObjects,
            ),
          compareSettings(settings, engine),
        );
        results.reads[`${engine.name}_${name}`] = readFigures(
          engine.name,
          read,
          checked.objects,
          comparison.byKind,
          counts,
        );
      }
    } finally {
      await Promise.all(Object.values(servers).map((server) => server.stop()));
    }
  }
  results.notes.push(
    `${engine.name}: load average ${loadAtStart} at the start, ${load()} at the end (${os.cpus().length} cores)`,
  );
}

function compareSettings(settings: NestedSettings, engine: Engine): CompareSettings {
  const { warmupS, durationS, log } = settings;
  return { warmupS, durationS, log, databaseCpuSeconds: engine.databaseCpuSeconds };
}

/** The servers that can answer `read`: PostGraphile only those it has a query for. */
function withoutUnsupported(servers: Record<MeasuredKind, RunningServer>, read: NestedRead) {
  const kept = { ...servers } as Partial<Record<MeasuredKind, RunningServer>>;
  if (!read.postgraphileQuery) delete kept.postgraphile;
  return kept as Record<MeasuredKind, RunningServer>;
}

const post = async (server: RunningServer, body: string) => {
  const response = await fetch(`${server.origin}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: response.status, text: await response.text() };
};

/**
 * Every server's answer to `read`, checked: 200, no errors, the same data as casebook's (for
 * PostGraphile, casebook's data in its names: nodes for edges, rowId for id). Returns the body
 * each server is sent and the objects in an answer.
 */
async function checkAnswers(servers: Record<MeasuredKind, RunningServer>, read: NestedRead) {
  const bodies: Partial<Record<MeasuredKind, string>> = {};
  const graphqlBody = JSON.stringify({ operationName: read.operationName, query: read.query });
  let expected: unknown;
  let objects = 0;
  for (const kind of Object.keys(servers) as MeasuredKind[]) {
    const body =
      kind === "postgraphile"
        ? JSON.stringify({ operationName: "Dashboard", query: read.postgraphileQuery })
        : graphqlBody;
    bodies[kind] = body;
    const { status, text } = await post(servers[kind], body);
    const answer = JSON.parse(text) as { data?: unknown; errors?: unknown };
    if (status !== 200 || answer.errors || !answer.data)
      throw new Error(`${kind} ${read.name}: ${status} ${text.slice(0, 500)}`);
    if (kind === "casebook") {
      expected = answer.data;
      objects = countObjects(text);
      continue;
    }
    const want = JSON.stringify(kind === "postgraphile" ? inPostGraphileNames(expected) : expected);
    if (JSON.stringify(answer.data) !== want)
      throw new Error(`${kind} ${read.name} answers other data than casebook: ${text.slice(0, 300)} …`);
  }
  return { bodies, objects };
}

/** casebook's data as PostGraphile names it: `nodes` lists for connections, rowId for id. */
function inPostGraphileNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inPostGraphileNames);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === "edges") out.nodes = (v as { node: unknown }[]).map((edge) => inPostGraphileNames(edge.node));
    else out[key === "id" ? "rowId" : key] = inPostGraphileNames(v);
  }
  return out;
}

/** Statements per request of each server but casebook, from its counter around one request. */
async function serverStatements(
  servers: Record<MeasuredKind, RunningServer>,
  bodies: Partial<Record<MeasuredKind, string>>,
  urls: Partial<Record<MeasuredKind, string>>,
) {
  const counts: Partial<Record<MeasuredKind, number | null>> = {};
  const statements = async (url: string) => ((await (await fetch(url)).json()) as { statements: number }).statements;
  for (const kind of Object.keys(servers) as MeasuredKind[]) {
    const url = urls[kind];
    if (!url) continue;
    const before = await statements(url);
    await post(servers[kind], bodies[kind]!);
    counts[kind] = (await statements(url)) - before;
  }
  return counts;
}

function readFigures(
  engine: NestedReadFigures["engine"],
  read: NestedRead,
  objects: number,
  byKind: Partial<Record<MeasuredKind, Measured[]>>,
  statements: Partial<Record<MeasuredKind, number | null>>,
): NestedReadFigures {
  const servers: NestedReadFigures["servers"] = {};
  for (const [kind, runs] of Object.entries(byKind) as [MeasuredKind, Measured[]][]) {
    const cpu = median(runs.map((r) => r.cpuUsPerRequest));
    const db = runs.map((r) => r.dbCpuUsPerRequest);
    servers[kind] = {
      rps: round(median(runs.map((r) => r.rps)), 0),
      p50_ms: median(runs.map((r) => r.p50Ms)),
      p99_ms: median(runs.map((r) => r.p99Ms)),
      cpu_us_per_request: Math.round(cpu),
      cpu_us_per_object: round(cpu / objects, 2),
      ...(db.every((v) => v !== null) ? { db_cpu_us_per_request: Math.round(median(db as number[])) } : {}),
      statements: statements[kind] ?? null,
      perRound: runs.map((r) => Math.round(r.rps)),
    };
  }
  const casebook = byKind.casebook!;
  const casebookRatio: NestedReadFigures["casebookRatio"] = {};
  for (const [kind, runs] of Object.entries(byKind) as [MeasuredKind, Measured[]][]) {
    if (kind === "casebook") continue;
    casebookRatio[kind] = round(median(casebook.map((r, i) => r.rps / runs[i]!.rps)), 3);
  }
  return { engine, read: read.name, query: read.query, objects, servers, casebookRatio };
}
