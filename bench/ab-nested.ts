// npx tsx bench/ab-nested.ts <sqlite|postgresql> <read> <rounds> <seconds> '{"before":"<build>","after":"<build>|<node flag>…"}' [gc|<profile dir>]
//
// An interleaved A/B of casebook builds on one nested read (nested-reads.ts): each named build
// (a copy of bench/.data/build, which `npm run bench` compiles; node flags after `|`) serves the
// seeded data of the nested phase from its own process, on one working copy (and on PostgreSQL
// one server); they are loaded in rotating order, and the median server CPU per request, per
// object and the database's CPU per request are printed, with each build's CPU over the first's.
// `gc` logs each server's collections to /tmp/gc-<name>.log; a directory writes CPU profiles there.
import { nestedLoad, settle } from "./lib/load.js";
import { specFor } from "./lib/nested-phase.js";
import { countObjects, NESTED_READS } from "./lib/nested-reads.js";
import { pgWorkingCopy, seededPgDatabase } from "./lib/pg-seed.js";
import { benchPostgres } from "./lib/pg-server.js";
import { seededDatabase, workingCopy } from "./lib/seed.js";
import { type RunningServer, startServer, useCompiled } from "./lib/servers.js";
import { median } from "./lib/stats.js";

const [engine, readName, roundsArg, secondsArg, dirsArg, profileDir] = process.argv.slice(2);
const read = NESTED_READS.find((r) => r.name === readName)!;
const dirs = JSON.parse(dirsArg!) as Record<string, string>;
const missions = read.missions;
const spec = specFor(missions);
const log = (l: string) => console.error(l);
let database: string;
let pgServer: Awaited<ReturnType<typeof benchPostgres>> | undefined;
if (engine === "postgresql") {
  pgServer = await benchPostgres(process.env.BENCH_POSTGRES_URL, log);
  const seed = await seededPgDatabase(pgServer.url, `nested_${missions}`, spec, log);
  database = await pgWorkingCopy(pgServer.url, seed.database, `abn_${missions}`);
} else {
  database = workingCopy(seededDatabase(`nested-${missions}`, spec, log).file, `abn-${missions}`);
}
const servers: [string, RunningServer][] = [];
// The servers and the embedded PostgreSQL stop whatever happens, or they outlive the run.
try {
  for (const [name, spec] of Object.entries(dirs)) {
    const [dir, ...extraFlags] = spec.split("|");
    useCompiled(dir);
    servers.push([
      name,
      await startServer("casebook", {
        database,
        env: { DATABASE_POOL_SIZE: "10" },
        nodeFlags: [
          ...extraFlags,
          ...(profileDir === "gc"
            ? ["--trace-gc"]
            : profileDir
              ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}/${name}`]
              : []),
        ],
        logFile: profileDir === "gc" ? `/tmp/gc-${name}.log` : undefined,
      }),
    ]);
  }
  const body = JSON.stringify({ query: read.query, operationName: read.operationName });
  const expected = countObjects(
    await (
      await fetch(`${servers[0]![1].origin}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      })
    ).text(),
  );
  async function measure(server: RunningServer, s: number) {
    await settle();
    const c0 = server.cpuSeconds();
    const d0 = pgServer?.cpuSeconds() ?? 0;
    const r = await nestedLoad({ origin: server.origin, connections: 10, durationS: s }, body, expected, countObjects);
    await settle();
    if (r.failed > 0) throw new Error(r.firstFailure);
    return {
      cpu: ((server.cpuSeconds() - c0) * 1e6) / r.ok,
      db: (((pgServer?.cpuSeconds() ?? 0) - d0) * 1e6) / r.ok,
      rps: r.rps,
    };
  }
  const cpu = new Map<string, number[]>(servers.map(([n]) => [n, []]));
  const db = new Map<string, number[]>(servers.map(([n]) => [n, []]));
  for (const [, s] of servers) await measure(s, 1);
  for (let r = 0; r < Number(roundsArg); r++) {
    for (let i = 0; i < servers.length; i++) {
      const [name, s] = servers[(i + r) % servers.length]!;
      const m = await measure(s, Number(secondsArg));
      cpu.get(name)!.push(m.cpu);
      db.get(name)!.push(m.db);
      console.error(`round ${r} ${name} cpu ${m.cpu.toFixed(0)} db ${m.db.toFixed(0)} rps ${m.rps}`);
    }
  }
  const base = median(cpu.get(servers[0]![0])!);
  for (const [name] of servers) {
    const c = median(cpu.get(name)!);
    console.log(
      `${name}: cpu µs/req ${c.toFixed(0)} (${(c / expected).toFixed(2)} µs/obj) db ${median(db.get(name)!).toFixed(0)} ratio-to-first ${(c / base).toFixed(3)}`,
    );
  }
} finally {
  for (const [, server] of servers) await server.stop();
  await pgServer?.close();
}
