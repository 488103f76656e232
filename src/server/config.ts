// Every setting, read from the environment once at start-up into a typed object. A bad value
// is a ConfigError naming the variable, which loadConfigOrReport prints as one line for the
// program (the service, Studio, the seed) to exit on.
import path from "node:path";
import type { DatabaseTarget } from "../db/database.js";
import { sqliteLocationProblem } from "./sqlite-location.js";

type AppEnv = "development" | "test" | "production";

export interface Config {
  appEnv: AppEnv;
  database: DatabaseTarget;
  /** PostgreSQL: connections each process keeps at most. */
  databasePoolSize: number;
  /** PostgreSQL: a statement running longer is cancelled (0: no limit). */
  databaseStatementTimeoutMs: number;
  /** PostgreSQL: how long to wait for a connection, new or from the pool, before answering SERVICE_UNAVAILABLE. */
  databaseConnectTimeoutMs: number;
  sqliteBusyTimeoutMs: number;
  sqliteSynchronous: "FULL" | "NORMAL";
  host: string;
  port: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Apollo's landing page with the sandbox at GET /graphql. */
  sandbox: boolean;
  /** The dashboard at /ui/ (and a browser's GET / sent there). */
  dashboard: boolean;
  introspection: boolean;
  /** Bearer keys that may call mutations; empty means no authentication. */
  apiKeys: string[];
  requireAuthForQueries: boolean;
  bodyLimitBytes: number;
  requestTimeoutMs: number;
  shutdownTimeoutMs: number;
  /** How often a wait's deadline is checked: TIMEOUT_OR_ERROR fires at most this long after it. */
  deadlineSweepIntervalMs: number;
  /** Changes older than this many hours are pruned from the change feed (the transition history stays). */
  changeRetentionHours: number;
  /** How often the change feed is pruned. */
  changePruneIntervalMs: number;
  /** How often a process looks for changes other processes wrote to a SQLite file (PostgreSQL notifies instead). */
  changePollIntervalMs: number;
  /** Open WebSocket connections a process accepts at once. */
  wsMaxConnections: number;
  /** Subscriptions one WebSocket connection may hold at once. */
  wsMaxSubscriptionsPerConnection: number;
  /** How often the server pings each WebSocket connection (0: never). */
  wsKeepAliveMs: number;
  /** Bytes a subscriber may leave unread on its socket before it is closed with 1013 (it resumes from its cursor). */
  wsMaxBufferedBytes: number;
  studioPort: number;
  /** Where `npm run studio` listens; anything but loopback exposes the whole database. */
  studioHost: string;
  limits: {
    maxDepth: number;
    maxAliases: number;
    maxTokens: number;
    maxCost: number;
    maxDirectives: number;
  };
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = "ConfigError";
  }
}

type Env = Record<string, string | undefined>;

const APP_ENVS: readonly AppEnv[] = ["development", "test", "production"];
const DATA_FOLDERS: Record<AppEnv, string> = { test: "test_data", development: "dev_data", production: "data" };
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Exit code of a program whose configuration is invalid. */
export const INVALID_CONFIGURATION_EXIT_CODE = 2;

/**
 * loadConfig for a program's entry point: an invalid setting is reported in one line on stderr
 * (no stack trace) and gives undefined, so the caller exits with INVALID_CONFIGURATION_EXIT_CODE.
 */
export function loadConfigOrReport(
  program: string,
  env: Env = process.env,
  cwd: string = process.cwd(),
): Config | undefined {
  try {
    return loadConfig(env, cwd);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${program}: invalid configuration: ${error.message}\n`);
    return undefined;
  }
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const appEnv = oneOf(env, "APP_ENV", APP_ENVS, "production");
  return {
    appEnv,
    database: databaseTarget(env, appEnv, cwd),
    databasePoolSize: integer(env, "DATABASE_POOL_SIZE", 10, 1, 1000),
    databaseStatementTimeoutMs: integer(env, "DATABASE_STATEMENT_TIMEOUT_MS", 30_000, 0, 3_600_000),
    databaseConnectTimeoutMs: integer(env, "DATABASE_CONNECT_TIMEOUT_MS", 5000, 100, 600_000),
    sqliteBusyTimeoutMs: integer(env, "SQLITE_BUSY_TIMEOUT_MS", 5000, 0, 600_000),
    sqliteSynchronous: oneOf(env, "SQLITE_SYNCHRONOUS", ["FULL", "NORMAL"] as const, "FULL"),
    host: text(env, "HOST", "127.0.0.1"),
    port: integer(env, "PORT", 4000, 0, 65535),
    logLevel: oneOf(env, "LOG_LEVEL", LOG_LEVELS, appEnv === "test" ? "silent" : "info"),
    sandbox: boolean(env, "GRAPHQL_SANDBOX", appEnv === "development"),
    dashboard: boolean(env, "DASHBOARD", true),
    introspection: boolean(env, "GRAPHQL_INTROSPECTION", appEnv !== "production"),
    apiKeys: list(env, "API_KEYS"),
    requireAuthForQueries: boolean(env, "REQUIRE_AUTH_FOR_QUERIES", false),
    bodyLimitBytes: integer(env, "BODY_LIMIT_BYTES", 1_048_576, 1024, 1_073_741_824),
    requestTimeoutMs: integer(env, "REQUEST_TIMEOUT_MS", 30_000, 100, 3_600_000),
    shutdownTimeoutMs: integer(env, "SHUTDOWN_TIMEOUT_MS", 10_000, 0, 600_000),
    deadlineSweepIntervalMs: integer(env, "DEADLINE_SWEEP_INTERVAL_MS", 1000, 10, 3_600_000),
    changeRetentionHours: integer(env, "CHANGE_RETENTION_HOURS", 168, 1, 87_600),
    changePruneIntervalMs: integer(env, "CHANGE_PRUNE_INTERVAL_MS", 60_000, 10, 86_400_000),
    changePollIntervalMs: integer(env, "CHANGE_POLL_INTERVAL_MS", 25, 10, 60_000),
    wsMaxConnections: integer(env, "WS_MAX_CONNECTIONS", 2000, 1, 1_000_000),
    wsMaxSubscriptionsPerConnection: integer(env, "WS_MAX_SUBSCRIPTIONS_PER_CONNECTION", 20, 1, 10_000),
    wsKeepAliveMs: integer(env, "WS_KEEPALIVE_MS", 15_000, 0, 3_600_000),
    wsMaxBufferedBytes: integer(env, "WS_MAX_BUFFERED_BYTES", 1_048_576, 1024, 1_073_741_824),
    studioPort: integer(env, "STUDIO_PORT", 5555, 1, 65535),
    studioHost: text(env, "STUDIO_HOST", "127.0.0.1"),
    limits: {
      maxDepth: integer(env, "GRAPHQL_MAX_DEPTH", 15, 1, 1000),
      maxAliases: integer(env, "GRAPHQL_MAX_ALIASES", 30, 0, 10_000),
      maxTokens: integer(env, "GRAPHQL_MAX_TOKENS", 2000, 10, 1_000_000),
      maxCost: integer(env, "GRAPHQL_MAX_COST", 50_000, 1, 100_000_000),
      maxDirectives: integer(env, "GRAPHQL_MAX_DIRECTIVES", 30, 0, 10_000),
    },
  };
}

/**
 * DATABASE_URL picks the engine: `postgres://` or `postgresql://` is PostgreSQL (TLS and other
 * options in the URL, as libpq reads them); `file:./x.db`, `file:/abs/x.db`, a plain path or
 * `:memory:` is SQLite. Without it, SQLite's `entities.db` in the folder APP_ENV picks. A
 * SQLite file's folder must be creatable and writable.
 */
function databaseTarget(env: Env, appEnv: AppEnv, cwd: string): DatabaseTarget {
  const url = env.DATABASE_URL?.trim();
  if (url && /^postgres(ql)?:\/\//i.test(url)) return { engine: "postgresql", url: postgresUrl(url) };
  return { engine: "sqlite", path: sqlitePath(url, appEnv, cwd) };
}

function postgresUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ConfigError(
      "DATABASE_URL",
      "is not a valid PostgreSQL URL (postgresql://user:password@host:port/database)",
    );
  }
  if (!parsed.hostname && !parsed.searchParams.get("host")) {
    throw new ConfigError("DATABASE_URL", "names no host");
  }
  return url;
}

function sqlitePath(url: string | undefined, appEnv: AppEnv, cwd: string): string {
  if (url === ":memory:" || url === "file::memory:") return ":memory:";
  let file: string;
  if (url) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !url.startsWith("file://")) {
      throw new ConfigError(
        "DATABASE_URL",
        `must be a SQLite file (file:…, a path, :memory:) or a PostgreSQL URL (postgresql://…), got "${url.split(":")[0]}:"`,
      );
    }
    file = url
      .replace(/^file:\/\//, "")
      .replace(/^file:/, "")
      .replace(/\?.*$/, "");
    if (file.length === 0) throw new ConfigError("DATABASE_URL", "names no file");
  } else {
    file = path.join(DATA_FOLDERS[appEnv], "entities.db");
  }
  const absolute = path.resolve(cwd, file);
  const problem = sqliteLocationProblem(absolute);
  if (problem) throw new ConfigError("DATABASE_URL", problem);
  return absolute;
}

function text(env: Env, name: string, fallback: string): string {
  const value = env[name]?.trim();
  return value ? value : fallback;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (["1", "true", "yes", "on"].includes(raw)) return true;
  if (["0", "false", "no", "off"].includes(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${env[name]}"`);
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(", ")}, got "${raw}"`);
  }
  return raw as T;
}

function list(env: Env, name: string): string[] {
  return (env[name] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
