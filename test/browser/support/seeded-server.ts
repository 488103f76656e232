// A casebook server over a SQLite file that `npm run seed` filled, the demo data a person sees
// on a first visit: seven missions in every status, their jobs, cases, steps and histories.
import fs from "node:fs";
import path from "node:path";
import { createApp } from "../../../src/server/app.js";
import { loadConfig } from "../../../src/server/config.js";
import { tempDir } from "../../support/database.js";
import { requester, type TestServer } from "../../support/http.js";
import { startChild } from "../../support/service-process.js";

export async function startSeededServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const dir = tempDir("casebook-browser-");
  const url = `file:${path.join(dir, "entities.db")}`;
  const seed = startChild("npm", ["run", "--silent", "seed"], { DATABASE_URL: url });
  const { code } = await seed.exited;
  if (code !== 0) throw new Error(`npm run seed failed (${code}): ${seed.stderr()}`);
  const app = await createApp(loadConfig({ APP_ENV: "test", DATABASE_URL: url, PORT: "0", ...overrides }));
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
