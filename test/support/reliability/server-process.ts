// casebook's real entry point (src/server/main.ts) as a child process on a test database (a
// SQLite file or a PostgreSQL URL, given as DATABASE_URL), started directly under node (no npm or
// shell in between), so that SIGKILL reaches the very process that holds the database, as a
// crash would.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { PACKAGE_ROOT } from "../../../src/package-root.js";

const DEFAULTED = [
  "API_KEYS",
  "REQUIRE_AUTH_FOR_QUERIES",
  "GRAPHQL_INTROSPECTION",
  "GRAPHQL_SANDBOX",
  "GRAPHQL_MAX_DEPTH",
  "GRAPHQL_MAX_ALIASES",
  "GRAPHQL_MAX_TOKENS",
  "GRAPHQL_MAX_COST",
  "GRAPHQL_MAX_DIRECTIVES",
  "SQLITE_SYNCHRONOUS",
  "SQLITE_BUSY_TIMEOUT_MS",
  "DATABASE_POOL_SIZE",
  "DATABASE_STATEMENT_TIMEOUT_MS",
  "DATABASE_CONNECT_TIMEOUT_MS",
  "BODY_LIMIT_BYTES",
  "REQUEST_TIMEOUT_MS",
  "SHUTDOWN_TIMEOUT_MS",
];

export interface ServerProcess {
  /** The GraphQL endpoint. */
  url: string;
  origin: string;
  child: ChildProcess;
  /** Every JSON log line so far. */
  logs: Record<string, unknown>[];
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: no shutdown hook, no checkpoint, nothing flushed. */
  crash(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
}

/** The built service when dist/ is there and current, else the TypeScript source through tsx. */
function entryPoint(): string[] {
  const built = path.join(PACKAGE_ROOT, "dist/src/server/main.js");
  const source = path.join(PACKAGE_ROOT, "src/server/main.ts");
  const builtAt = fs.statSync(built, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const newestSource = newest(path.join(PACKAGE_ROOT, "src"));
  return builtAt > newestSource ? [built] : ["--import", "tsx", source];
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return latest;
}

/** Starts a server on `databaseUrl` (what it gets as DATABASE_URL) and waits until it listens. */
export async function startServerProcess(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const childEnv: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // vitest's own variables and anything the service reads must not leak into the child.
    if (
      /^(VITEST|TEST$|NODE_ENV$|APP_ENV$|PORT$|HOST$|LOG_LEVEL$|API_KEYS$|REQUIRE_AUTH|GRAPHQL_|SQLITE_|DATABASE_)/.test(
        key,
      )
    )
      continue;
    childEnv[key] = value;
  }
  // Empty values mean "the default" to the service, and keep a developer's .env (which dotenv
  // reads only for variables that are not set at all) out of the test.
  const defaults = Object.fromEntries(DEFAULTED.map((name) => [name, ""]));
  Object.assign(
    childEnv,
    defaults,
    { APP_ENV: "production", HOST: "127.0.0.1", PORT: "0", DATABASE_URL: databaseUrl },
    env,
  );
  // The "listening" line at info level is how the port is learnt; debug and trace show it too.
  if (childEnv.LOG_LEVEL !== "debug" && childEnv.LOG_LEVEL !== "trace") childEnv.LOG_LEVEL = "info";

  const child = spawn(process.execPath, entryPoint(), {
    cwd: PACKAGE_ROOT,
    env: childEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Record<string, unknown>[] = [];
  let stderr = "";
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("close", (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s\n${stderr}`)), 60_000);
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      logs.push(entry);
      if (typeof entry.url === "string") {
        clearTimeout(timer);
        resolve(entry.url);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening\n${stderr}`));
    });
  });
  return {
    url,
    origin: new URL(url).origin,
    child,
    logs,
    stderr: () => stderr,
    exited,
    async crash() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const result = await exited;
      if (result.code !== 0) throw new Error(`server exited with ${result.code ?? result.signal}\n${stderr}`);
    },
  };
}
