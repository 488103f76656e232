// Phase fanout: 1,000 graphql-ws subscribers on one casebook process, while another process
// writes 100 missions a second to the same database. Reports changes delivered per second,
// commit→delivery latency (the change's `at`, taken just before its transaction commits, to the
// moment the subscriber has it; one machine, one clock), the server's memory per subscriber, and
// whether every subscriber received every change exactly once. SQLite, then PostgreSQL
// (--pg-url= or BENCH_POSTGRES_URL, else the embedded server).
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { freeLoopbackPort } from "../../src/server/network.js";
import { type FanoutClientKind, subscribe } from "./fanout-client.js";
import { benchPostgres } from "./pg-server.js";
import { procCpuSeconds, procStatusKb } from "./proc.js";
import { percentile, round } from "./stats.js";

export interface FanoutFigures {
  engine: string;
  client: FanoutClientKind;
  subscribers: number;
  writes: number;
  deliveredPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  rssPerSubscriberKb: number;
  /** CPU time of the subscribers' server per change delivered (user + system). */
  serverCpuUsPerDelivery: number;
  /** The same for the process running the 1,000 graphql-ws clients. */
  clientCpuUsPerDelivery: number;
  lost: number;
  duplicated: number;
}

const SUBSCRIBERS = 1000;
const RATE = 100;

function tsx(script: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
}

async function startServer(databaseUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freeLoopbackPort();
  const child = tsx("src/server/main.ts", [], {
    APP_ENV: "production",
    LOG_LEVEL: "info",
    HOST: "127.0.0.1",
    PORT: String(port),
    DATABASE_URL: databaseUrl,
  });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (out.includes("casebook listening")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url: `ws://127.0.0.1:${port}/graphql` };
}

async function runOne(
  engine: string,
  databaseUrl: string,
  options: { seconds: number; client: FanoutClientKind; log: (line: string) => void },
): Promise<FanoutFigures> {
  const { seconds, client, log } = options;
  const server = await startServer(databaseUrl);
  try {
    const idleRss = procStatusKb(server.child.pid!, "VmRSS");
    const latencies: number[] = [];
    const seen: Set<string>[] = [];
    let duplicated = 0;
    let delivered = 0;
    let failed = 0;
    const closers: (() => void)[] = [];
    let ready = 0;
    for (let i = 0; i < SUBSCRIBERS; i++) {
      const own = new Set<string>();
      seen.push(own);
      closers.push(
        subscribe<{ changes: { entityId: string; at: string } }>(
          client,
          server.url,
          "subscription { changes(filter: { kinds: [CREATED] }) { entityId at } }",
          {
            connected: () => ready++,
            next: ({ changes: change }) => {
              latencies.push(Date.now() - Date.parse(change.at));
              delivered++;
              if (own.has(change.entityId)) duplicated++;
              own.add(change.entityId);
            },
            failed: (why) => {
              failed++;
              log(`subscriber ${i} failed: ${why}`);
            },
          },
        ),
      );
    }
    // A subscriber that failed to connect (the machine too busy to answer in time) is counted as
    // lost below rather than waited for.
    while (ready + failed < SUBSCRIBERS) await new Promise((resolve) => setTimeout(resolve, 50));
    // Subscriptions start once connected: give the last ones a moment to register.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const subscribedRss = procStatusKb(server.child.pid!, "VmRSS");
    const writes = RATE * seconds;
    log(
      `fanout ${engine}: ${SUBSCRIBERS} subscribers, writing ${writes} missions at ${RATE}/s through another process`,
    );
    const started = Date.now();
    const serverCpuBefore = procCpuSeconds(server.child.pid!) * 1_000_000;
    const clientCpuBefore = process.cpuUsage();
    const writer = tsx("bench/fanout-writer.ts", [databaseUrl, String(RATE), String(writes)], {});
    await new Promise((resolve) => writer.once("exit", resolve));
    // Deliveries still in flight when the writer ends.
    const deadline = Date.now() + 10_000;
    while (delivered < writes * SUBSCRIBERS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const elapsed = (Date.now() - started) / 1000;
    const serverCpu = procCpuSeconds(server.child.pid!) * 1_000_000 - serverCpuBefore;
    const clientCpuUsage = process.cpuUsage(clientCpuBefore);
    const clientCpu = clientCpuUsage.user + clientCpuUsage.system;
    log(`fanout ${engine}: ${delivered} of ${writes * SUBSCRIBERS} deliveries in ${round(elapsed, 1)} s`);
    const lost = seen.reduce((sum, own) => sum + (writes - own.size), 0);
    // The server is stopped below, which closes every socket: no need to wait for each client.
    for (const close of closers) close();
    return {
      engine,
      client,
      subscribers: SUBSCRIBERS,
      writes,
      deliveredPerSecond: round(delivered / elapsed, 0),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      rssPerSubscriberKb: round((subscribedRss - idleRss) / SUBSCRIBERS, 1),
      serverCpuUsPerDelivery: round(serverCpu / Math.max(1, delivered), 2),
      clientCpuUsPerDelivery: round(clientCpu / Math.max(1, delivered), 2),
      lost,
      duplicated,
    };
  } finally {
    server.child.kill("SIGTERM");
  }
}

export async function runFanoutPhase(options: {
  seconds: number;
  /** The subscribers' client (fanout-client.ts). */
  client: FanoutClientKind;
  pgUrl: string | undefined;
  log: (line: string) => void;
}): Promise<FanoutFigures[]> {
  const figures: FanoutFigures[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "casebook-fanout-"));
  try {
    figures.push(await runOne("sqlite", `file:${path.join(dir, "fanout.db")}`, options));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // The server --pg-url= or BENCH_POSTGRES_URL names, else the embedded one.
  const server = await benchPostgres(options.pgUrl, options.log);
  try {
    const name = `casebook_fanout_${process.pid}`;
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = new URL(server.url);
      url.pathname = `/${name}`;
      figures.push(await runOne("postgresql", url.toString(), options));
    } finally {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.end();
    }
  } finally {
    await server.close();
  }
  return figures;
}

export function printFanoutTable(figures: readonly FanoutFigures[]): string {
  const lines = [
    "| engine | clients | subscribers | writes | delivered/s | p50 ms | p99 ms | server CPU µs/delivery | clients' CPU µs/delivery | server RSS per subscriber | lost | duplicated |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ...figures.map(
      (f) =>
        `| ${f.engine} | ${f.client} | ${f.subscribers} | ${f.writes} | ${f.deliveredPerSecond} | ${f.p50Ms} | ${f.p99Ms} | ${f.serverCpuUsPerDelivery} | ${f.clientCpuUsPerDelivery} | ${f.rssPerSubscriberKb} kB | ${f.lost} | ${f.duplicated} |`,
    ),
  ];
  return lines.join("\n");
}
