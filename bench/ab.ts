// npx tsx bench/ab.ts <read|event> [rounds=5] [seconds=3] [variants-json]
//
// A quick A/B against the Apollo floor: the floor and one or more casebook servers (each with
// its own extra environment, e.g. '{"normal":{"SQLITE_SYNCHRONOUS":"NORMAL"}}') on the 10k-case
// data set (AB_CASES=<n> seeds another size), loaded in rotating order like `npm run bench`;
// prints the median server CPU µs per request and req/s of each, and their ratios to the floor.
// AB_ENV (JSON) is given to every server, the floor included. AB_ENGINE=postgresql runs them on
// PostgreSQL (BENCH_POSTGRES_URL, else the embedded server) and adds the database server's CPU
// per request. Used to measure one change at a time (BENCHMARKS.md).
import { BUILD_DIR, buildServers } from "./lib/build.js";
import { jobStatuses } from "./lib/job-statuses.js";
import { eventLoad, readLoad, settle } from "./lib/load.js";
import { pgWorkingCopy, seededPgDatabase } from "./lib/pg-seed.js";
import { type BenchPostgres, benchPostgres } from "./lib/pg-server.js";
import { seededDatabase, workingCopy } from "./lib/seed.js";
import { type SeedIds, specForCases } from "./lib/seed-data.js";
import { type RunningServer, startServer, useCompiled } from "./lib/servers.js";
import { median } from "./lib/stats.js";

const [scenario = "read", roundsArg = "5", secondsArg = "3", variantsArg = '{"casebook":{}}'] = process.argv.slice(2);
if (scenario !== "read" && scenario !== "event") throw new Error(`scenario must be read or event, not ${scenario}`);
const rounds = Number(roundsArg);
const seconds = Number(secondsArg);
const variants = JSON.parse(variantsArg) as Record<string, Record<string, string>>;
const common = JSON.parse(process.env.AB_ENV ?? "{}") as Record<string, string>;
const onPostgres = process.env.AB_ENGINE === "postgresql";
const cases = Number(process.env.AB_CASES ?? 10_000);
const sizeName = `cases${onPostgres ? "_" : "-"}${cases >= 1_000_000 ? `${cases / 1_000_000}m` : `${cases / 1000}k`}`;

const build = buildServers();
useCompiled(build.compiled ? BUILD_DIR : undefined);

let postgres: BenchPostgres | undefined;
let database: string;
let seed: SeedIds;
if (onPostgres) {
  postgres = await benchPostgres(process.env.BENCH_POSTGRES_URL, (line) => console.error(line));
  const seeded = await seededPgDatabase(postgres.url, sizeName, specForCases(cases));
  database = await pgWorkingCopy(postgres.url, seeded.database, "ab");
  seed = seeded;
} else {
  const seeded = seededDatabase(sizeName, specForCases(cases));
  database = workingCopy(seeded.file, "ab");
  seed = seeded;
}

const servers: [string, RunningServer][] = [["floor", await startServer("apolloFloor", { database, env: common })]];
for (const [name, env] of Object.entries(variants)) {
  servers.push([name, await startServer("casebook", { database, env: { ...common, ...env } })]);
}

async function measure(server: RunningServer, durationS: number) {
  await settle();
  const cpuBefore = server.cpuSeconds();
  const dbBefore = postgres?.cpuSeconds() ?? 0;
  const options = { origin: server.origin, connections: 10, durationS };
  const result =
    scenario === "read"
      ? await readLoad(options, seed.sampleJobIds)
      : await eventLoad(options, jobStatuses(database), seed.poolJobIds);
  await settle();
  if (result.failed > 0) throw new Error(`${result.failed} requests failed: ${result.firstFailure}`);
  return {
    rps: result.rps,
    cpuUs: ((server.cpuSeconds() - cpuBefore) * 1e6) / result.ok,
    dbCpuUs: (((postgres?.cpuSeconds() ?? 0) - dbBefore) * 1e6) / result.ok,
  };
}

const cpu = new Map<string, number[]>(servers.map(([name]) => [name, []]));
const dbCpu = new Map<string, number[]>(servers.map(([name]) => [name, []]));
const rps = new Map<string, number[]>(servers.map(([name]) => [name, []]));
try {
  for (const [, server] of servers) await measure(server, 1);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < servers.length; i++) {
      const [name, server] = servers[(i + r) % servers.length]!;
      const m = await measure(server, seconds);
      cpu.get(name)!.push(m.cpuUs);
      dbCpu.get(name)!.push(m.dbCpuUs);
      rps.get(name)!.push(m.rps);
    }
  }
  const floorCpu = median(cpu.get("floor")!);
  const floorRps = median(rps.get("floor")!);
  for (const [name] of servers) {
    const c = median(cpu.get(name)!);
    const q = median(rps.get(name)!);
    const db = postgres ? `  database ${Math.round(median(dbCpu.get(name)!))} µs/request` : "";
    console.log(
      `${name.padEnd(14)} ${Math.round(c).toString().padStart(4)} µs/request${db}  ${Math.round(q).toString().padStart(6)} req/s  ` +
        `CPU ×floor ${(floorCpu / c).toFixed(3)}  req/s ×floor ${(q / floorRps).toFixed(3)}`,
    );
  }
} finally {
  for (const [, server] of servers) await server.stop();
  await postgres?.close();
}
