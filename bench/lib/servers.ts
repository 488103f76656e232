// Each server under test runs in its own process, so it never shares an event loop with the
// load generator or with another server.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { freeLoopbackPort } from "../../src/server/network.js";
import { procCpuSeconds, procStatusKb } from "./proc.js";

export type ServerKind = "casebook" | "bare" | "apolloFloor";
export const SERVER_KINDS: readonly ServerKind[] = ["casebook", "bare", "apolloFloor"];
/** The servers a comparison may hold: casebook's baselines, and a peer started from its own folder. */
export type MeasuredKind = ServerKind | "postgraphile";

const ENTRY: Record<ServerKind, string> = {
  // The real service: the same main.ts that `npm start` runs.
  casebook: "src/server/main",
  bare: "bench/servers/bare",
  apolloFloor: "bench/servers/apollo-floor",
};

let compiledDir: string | undefined;

/** Run servers from compiled JavaScript in `dir` (see build.ts) rather than from source under tsx. */
export function useCompiled(dir: string | undefined): void {
  compiledDir = dir;
}

/** Node arguments that run `entry` (a path below the root, without extension). */
export function nodeEntry(entry: string): string[] {
  return compiledDir
    ? [path.join(compiledDir, `${entry}.js`)]
    : ["--import", "tsx", path.join(PACKAGE_ROOT, `${entry}.ts`)];
}

export interface RunningServer {
  kind: MeasuredKind;
  pid: number;
  origin: string;
  /** Milliseconds from spawn until /health answered 200. */
  startupMs: number;
  rssMb(): number;
  peakRssMb(): number;
  /** CPU time (user + system) the server process has used so far, in seconds. */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** A SQLite file, or a PostgreSQL URL (postgres:// or postgresql://). */
  database: string;
  env?: Record<string, string>;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** Where stdout/stderr go; the default discards them (casebook logs a line per request). */
  logFile?: string;
}

/** DATABASE_URL for a SQLite file or a PostgreSQL URL, as casebook's config reads it. */
export function databaseUrlOf(database: string): string {
  return /^postgres(ql)?:\/\//i.test(database) ? database : `file:${database}`;
}

/**
 * The environment every server gets: same database, same SQLite settings, same PostgreSQL pool
 * size, production mode.
 */
function serverEnv(database: string, port: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: "production",
    APP_ENV: "production",
    DATABASE_URL: databaseUrlOf(database),
    DATABASE_POOL_SIZE: "10",
    SQLITE_SYNCHRONOUS: "FULL",
    SQLITE_BUSY_TIMEOUT_MS: "5000",
    HOST: "127.0.0.1",
    PORT: String(port),
    // Explicit, so that a developer's .env cannot change what is measured.
    API_KEYS: "",
    LOG_LEVEL: "info",
    GRAPHQL_SANDBOX: "false",
    GRAPHQL_INTROSPECTION: "false",
    ...extra,
  };
}

export async function startServer(kind: ServerKind, options: SpawnOptions): Promise<RunningServer> {
  const port = await freeLoopbackPort();
  const out = options.logFile ? fs.openSync(options.logFile, "a") : "ignore";
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), ...nodeEntry(ENTRY[kind])], {
    cwd: PACKAGE_ROOT,
    env: serverEnv(options.database, port, options.env),
    stdio: ["ignore", out, out],
  });
  if (typeof out === "number") fs.closeSync(out);
  const origin = `http://127.0.0.1:${port}`;
  await waitForReady(child, kind, () => fetch(`${origin}/health`));
  return runningServer(kind, child, origin, started);
}

/** A started child process as a RunningServer; `started` is its spawn time (hrtime). */
export function runningServer(kind: MeasuredKind, child: ChildProcess, origin: string, started: bigint): RunningServer {
  const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    kind,
    pid: child.pid!,
    origin,
    startupMs,
    rssMb: () => procStatusMb(child.pid!, "VmRSS"),
    peakRssMb: () => procStatusMb(child.pid!, "VmHWM"),
    cpuSeconds: () => procCpuSeconds(child.pid!),
    stop: () => stopChild(child),
  };
}

/** Waits until `probe` answers 200 (or the child exits, or two minutes pass). */
export async function waitForReady(
  child: ChildProcess,
  kind: MeasuredKind,
  probe: () => Promise<Response>,
): Promise<void> {
  let exited: string | undefined;
  child.once(
    "exit",
    (code, signal) => (exited = `${kind} exited before it was ready (code ${code}, signal ${signal})`),
  );
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(exited);
    try {
      const response = await probe();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  child.kill("SIGKILL");
  throw new Error(`${kind} did not become ready`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

const procStatusMb = (pid: number, field: "VmRSS" | "VmHWM"): number => procStatusKb(pid, field) / 1024;
