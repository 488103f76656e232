// A casebook server for the browser tests: a SQLite file of its own, filled by `npm run seed`
// when asked (the demo data a person sees on a first visit: seven missions in every status,
// their jobs, cases, steps and histories), serving the dashboard the tests built.
import fs from "node:fs";
import path from "node:path";
import { createApp } from "../../../src/server/app.js";
import { loadConfig } from "../../../src/server/config.js";
import { tempDir } from "../../support/database.js";
import { requester, type TestServer } from "../../support/http.js";
import { startChild } from "../../support/service-process.js";
import { DASHBOARD_TEST_BUILD } from "./dashboard-build.js";

export async function startDashboardServer(
  options: { seed?: boolean; env?: Record<string, string> } = {},
): Promise<TestServer> {
  const dir = tempDir("casebook-browser-");
  const url = `file:${path.join(dir, "entities.db")}`;
  if (options.seed) {
    const seed = startChild("npm", ["run", "--silent", "seed"], { DATABASE_URL: url });
    const { code } = await seed.exited;
    if (code !== 0) throw new Error(`npm run seed failed (${code}): ${seed.stderr()}`);
  }
  const config = loadConfig({ APP_ENV: "test", DATABASE_URL: url, PORT: "0", ...options.env });
  const app = await createApp(config, undefined, { dashboardFolder: DASHBOARD_TEST_BUILD });
  const graphqlUrl = await app.listen();
  return {
    url: graphqlUrl,
    origin: new URL(graphqlUrl).origin,
    app,
    request: requester(graphqlUrl),
    async stop() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
