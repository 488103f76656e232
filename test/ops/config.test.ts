// loadConfig: the defaults the README documents, the data folder per APP_ENV, and every form
// DATABASE_URL takes.
import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/server/config.js";
import { tempDir } from "../support/database.js";

const dirs: string[] = [];
function cwd(): string {
  const dir = tempDir("casebook-config-");
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("has the documented defaults when nothing is set", () => {
    const root = cwd();
    expect(loadConfig({}, root)).toEqual({
      appEnv: "production",
      database: { engine: "sqlite", path: path.join(root, "data", "entities.db") },
      databasePoolSize: 10,
      databaseStatementTimeoutMs: 30_000,
      databaseConnectTimeoutMs: 5000,
      sqliteBusyTimeoutMs: 5000,
      sqliteSynchronous: "FULL",
      host: "127.0.0.1",
      port: 4000,
      logLevel: "info",
      sandbox: false,
      dashboard: true,
      introspection: false,
      apiKeys: [],
      requireAuthForQueries: false,
      bodyLimitBytes: 1_048_576,
      requestTimeoutMs: 30_000,
      shutdownTimeoutMs: 10_000,
      deadlineSweepIntervalMs: 1000,
      changeRetentionHours: 168,
      changePruneIntervalMs: 60_000,
      changePollIntervalMs: 25,
      wsMaxConnections: 2000,
      wsMaxSubscriptionsPerConnection: 20,
      wsKeepAliveMs: 15_000,
      wsMaxBufferedBytes: 1_048_576,
      studioPort: 5555,
      studioHost: "127.0.0.1",
      limits: { maxDepth: 15, maxAliases: 30, maxTokens: 2000, maxCost: 50_000, maxDirectives: 30 },
    });
  });

  it.each([
    ["production", "data", { logLevel: "info", sandbox: false, introspection: false }],
    ["development", "dev_data", { logLevel: "info", sandbox: true, introspection: true }],
    ["test", "test_data", { logLevel: "silent", sandbox: false, introspection: true }],
  ] as const)("APP_ENV=%s keeps its database in %s/ and picks its own defaults", (appEnv, folder, defaults) => {
    const root = cwd();
    const config = loadConfig({ APP_ENV: appEnv }, root);
    expect(config.database).toEqual({ engine: "sqlite", path: path.join(root, folder, "entities.db") });
    expect(fs.statSync(path.join(root, folder)).isDirectory()).toBe(true);
    expect(config).toMatchObject({ appEnv, ...defaults });
  });

  it.each([
    ["file:./x.db", (root: string) => path.join(root, "x.db")],
    ["file:nested/x.db", (root: string) => path.join(root, "nested", "x.db")],
    ["file:ABS/x.db", (root: string) => path.join(root, "abs", "x.db")],
    ["file://ABS/x.db", (root: string) => path.join(root, "abs", "x.db")],
    ["file:./x.db?connection_limit=1", (root: string) => path.join(root, "x.db")],
    ["plain/x.db", (root: string) => path.join(root, "plain", "x.db")],
    ["ABS/plain.db", (root: string) => path.join(root, "abs", "plain.db")],
    [":memory:", () => ":memory:"],
    ["file::memory:", () => ":memory:"],
  ])("DATABASE_URL=%s names the right file", (form, expected) => {
    const root = cwd();
    const url = form.replace("ABS", path.join(root, "abs"));
    const config = loadConfig({ DATABASE_URL: url, APP_ENV: "test" }, root);
    expect(config.database).toEqual({ engine: "sqlite", path: expected(root) });
    if (expected(root) !== ":memory:") expect(fs.existsSync(path.dirname(expected(root)))).toBe(true);
  });

  it("DATABASE_URL wins over the APP_ENV folder", () => {
    const root = cwd();
    expect(loadConfig({ APP_ENV: "development", DATABASE_URL: "file:./mine.db" }, root).database).toEqual({
      engine: "sqlite",
      path: path.join(root, "mine.db"),
    });
  });

  it.each([
    "postgres://casebook@db.internal/casebook",
    "postgresql://user:secret@127.0.0.1:6432/casebook?sslmode=require&application_name=api",
    "POSTGRESQL://localhost/x",
  ])("DATABASE_URL=%s picks PostgreSQL and keeps the URL with its options", (url) => {
    expect(loadConfig({ DATABASE_URL: url }, cwd()).database).toEqual({ engine: "postgresql", url });
  });

  it("PostgreSQL settings default to a pool of 10, 30 s statements and 5 s to connect, and are read", () => {
    expect(loadConfig({}, cwd())).toMatchObject({
      databasePoolSize: 10,
      databaseStatementTimeoutMs: 30_000,
      databaseConnectTimeoutMs: 5000,
    });
    expect(
      loadConfig(
        { DATABASE_POOL_SIZE: "3", DATABASE_STATEMENT_TIMEOUT_MS: "0", DATABASE_CONNECT_TIMEOUT_MS: "250" },
        cwd(),
      ),
    ).toMatchObject({ databasePoolSize: 3, databaseStatementTimeoutMs: 0, databaseConnectTimeoutMs: 250 });
  });

  it.each([
    [{ APP_ENV: "staging" }, "APP_ENV"],
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ GRAPHQL_SANDBOX: "maybe" }, "GRAPHQL_SANDBOX"],
    [{ DASHBOARD: "hidden" }, "DASHBOARD"],
    [{ SQLITE_SYNCHRONOUS: "OFF" }, "SQLITE_SYNCHRONOUS"],
    [{ BODY_LIMIT_BYTES: "-1" }, "BODY_LIMIT_BYTES"],
    [{ STUDIO_PORT: "0" }, "STUDIO_PORT"],
    [{ DATABASE_URL: "mysql://localhost/casebook" }, "DATABASE_URL"],
    [{ DATABASE_URL: "postgresql://" }, "DATABASE_URL"],
    [{ DATABASE_POOL_SIZE: "0" }, "DATABASE_POOL_SIZE"],
    [{ DATABASE_CONNECT_TIMEOUT_MS: "soon" }, "DATABASE_CONNECT_TIMEOUT_MS"],
    [{ DATABASE_URL: "file:" }, "DATABASE_URL"],
    [{ DEADLINE_SWEEP_INTERVAL_MS: "0" }, "DEADLINE_SWEEP_INTERVAL_MS"],
  ])("refuses %o, naming %s", (env, variable) => {
    const error = errorOf(() => loadConfig(env, cwd()));
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}: `)).toBe(true);
  });

  it("refuses a database folder that cannot be created", () => {
    const root = cwd();
    fs.writeFileSync(path.join(root, "afile"), "not a folder");
    const error = errorOf(() => loadConfig({ DATABASE_URL: `file:${root}/afile/sub/entities.db` }, root));
    expect(error.variable).toBe("DATABASE_URL");
    expect(error.message).toContain(path.join(root, "afile", "sub"));
  });

  it("serves the dashboard unless DASHBOARD says otherwise", () => {
    expect(loadConfig({}, cwd()).dashboard).toBe(true);
    expect(loadConfig({ DASHBOARD: "false" }, cwd()).dashboard).toBe(false);
    expect(loadConfig({ DASHBOARD: "off" }, cwd()).dashboard).toBe(false);
  });

  it("reads API_KEYS as a comma-separated list", () => {
    expect(loadConfig({ API_KEYS: " one, two ,,three " }, cwd()).apiKeys).toEqual(["one", "two", "three"]);
  });
});
