// npx tsx bench/ab.ts <read|event> [rounds=5] [seconds=3] [variants-json]
//
// A quick A/B against the Apollo floor: the floor and one or more casebook servers (each with
// its own extra environment, e.g. '{"normal":{"SQLITE_SYNCHRONOUS":"NORMAL"}}') on the 10k-case
// data set, loaded in rotating order like `npm run bench`; prints the median server CPU µs per
// request and req/s of each, and their ratios to the floor. AB_ENV (JSON) is given to every
// server, the floor included. Used to measure one change at a time (BENCHMARKS.md).
import { BUILD_DIR, buildServers } from "./lib/build.js";
import { eventLoad, readLoad, settle, sqliteJobStatuses } from "./lib/load.js";
import { seededDatabase, workingCopy } from "./lib/seed.js";
import { specForCases } from "./lib/seed-data.js";
import { type RunningServer, startServer, useCompiled } from "./lib/servers.js";
import { median } from "./lib/stats.js";

const [scenario = "read", roundsArg = "5", secondsArg = "3", variantsArg = '{"casebook":{}}'] = process.argv.slice(2);
if (scenario !== "read" && scenario !== "event") throw new Error(`scenario must be read or event, not ${scenario}`);
const rounds = Number(roundsArg);
const seconds = Number(secondsArg);
const variants = JSON.parse(variantsArg) as Record<string, Record<string, string>>;
const common = JSON.parse(process.env.AB_ENV ?? "{}") as Record<string, string>;

const build = buildServers();
useCompiled(build.compiled ? BUILD_DIR : undefined);
const seed = seededDatabase("cases-10k", specForCases(10_000));
const file = workingCopy(seed.file, "ab");

const servers: [string, RunningServer][] = [
  ["floor", await startServer("apolloFloor", { database: file, env: common })],
];
for (const [name, env] of Object.entries(variants)) {
  servers.push([name, await startServer("casebook", { database: file, env: { ...common, ...env } })]);
}

async function measure(server: RunningServer, durationS: number) {
  await settle();
  const cpuBefore = server.cpuSeconds();
  const options = { origin: server.origin, connections: 10, durationS };
  const result =
    scenario === "read"
      ? await readLoad(options, seed.sampleJobIds)
      : await eventLoad(options, sqliteJobStatuses(file), seed.poolJobIds);
  await settle();
  if (result.failed > 0) throw new Error(`${result.failed} requests failed: ${result.firstFailure}`);
  return { rps: result.rps, cpuUs: ((server.cpuSeconds() - cpuBefore) * 1e6) / result.ok };
}

const cpu = new Map<string, number[]>(servers.map(([name]) => [name, []]));
const rps = new Map<string, number[]>(servers.map(([name]) => [name, []]));
try {
  for (const [, server] of servers) await measure(server, 1);
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < servers.length; i++) {
      const [name, server] = servers[(i + r) % servers.length]!;
      const m = await measure(server, seconds);
      cpu.get(name)!.push(m.cpuUs);
      rps.get(name)!.push(m.rps);
    }
  }
  const floorCpu = median(cpu.get("floor")!);
  const floorRps = median(rps.get("floor")!);
  for (const [name] of servers) {
    const c = median(cpu.get(name)!);
    const q = median(rps.get(name)!);
    console.log(
      `${name.padEnd(14)} ${Math.round(c).toString().padStart(4)} µs/request  ${Math.round(q).toString().padStart(6)} req/s  ` +
        `CPU ×floor ${(floorCpu / c).toFixed(3)}  req/s ×floor ${(q / floorRps).toFixed(3)}`,
    );
  }
} finally {
  for (const [, server] of servers) await server.stop();
}
