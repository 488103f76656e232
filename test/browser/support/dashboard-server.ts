// A casebook server for the browser tests: a SQLite file of its own, filled by `npm run seed`
// when asked (the demo data a person sees on a first visit: seven missions in every status,
// their jobs, cases, steps and histories), serving the dashboard the tests built.
import fs from "node:fs";
import path from "node:path";
import { type App, createApp } from "../../../src/server/app.js";
import { loadConfig } from "../../../src/server/config.js";
import { tempDir } from "../../support/database.js";
import { requester, type TestServer } from "../../support/http.js";
import { startChild } from "../../support/service-process.js";
import { DASHBOARD_TEST_BUILD } from "./dashboard-build.js";

export interface DashboardServer extends TestServer {
  /** The database file's URL, for writing while the server is down. */
  databaseUrl: string;
  /** Closes the server (its sockets as on a shutdown), keeping the database. */
  halt(): Promise<void>;
  /** Starts a new server over the same database on the same port. */
  resume(): Promise<void>;
}

export async function startDashboardServer(
  options: { seed?: boolean; env?: Record<string, string> } = {},
): Promise<DashboardServer> {
  const dir = tempDir("casebook-browser-");
  const databaseUrl = `file:${path.join(dir, "entities.db")}`;
  if (options.seed) {
    const seed = startChild("npm", ["run", "--silent", "seed"], { DATABASE_URL: databaseUrl });
    const { code } = await seed.exited;
    if (code !== 0) throw new Error(`npm run seed failed (${code}): ${seed.stderr()}`);
  }
  const start = async (port: string): Promise<{ app: App; url: string }> => {
    const config = loadConfig({ APP_ENV: "test", DATABASE_URL: databaseUrl, PORT: port, ...options.env });
    const app = await createApp(config, undefined, { dashboardFolder: DASHBOARD_TEST_BUILD });
    return { app, url: await app.listen() };
  };
  let current: App | undefined;
  const first = await start("0");
  current = first.app;
  const graphqlUrl = first.url;
  const server: DashboardServer = {
    url: graphqlUrl,
    origin: new URL(graphqlUrl).origin,
    app: first.app,
    databaseUrl,
    request: requester(graphqlUrl),
    async halt() {
      await current?.close();
      current = undefined;
    },
    async resume() {
      const { app } = await start(new URL(graphqlUrl).port);
      current = app;
      server.app = app;
    },
    async stop() {
      await current?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return server;
}
