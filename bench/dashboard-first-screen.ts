// npm run bench:dashboard -- <database URL or SQLite file> [--runs=5]
// How the dashboard's first screen loads on a given database (e.g. the 1M-case file the scale
// phase seeds in bench/.data): a built casebook (`npm run build`) serves it, Debian's Chromium
// (playwright-core, /usr/bin/chromium or CHROMIUM_PATH) opens /ui/ in a fresh page per run, and
// the run reports the GraphQL requests the page sent before the missions were shown and when they
// were shown (the page's own performance mark, ms after navigation start). Reported, not judged.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { PACKAGE_ROOT } from "../src/package-root.js";
import { databaseUrlOf, waitForReady } from "./lib/servers.js";

const args = process.argv.slice(2);
const database = args.find((a) => !a.startsWith("--"));
if (!database) throw new Error("usage: npm run bench:dashboard -- <database URL or SQLite file> [--runs=5]");
const runs = Number(args.find((a) => a.startsWith("--runs="))?.slice(7) ?? 5);
const entry = path.join(PACKAGE_ROOT, "dist/src/server/main.js");
if (!fs.existsSync(path.join(PACKAGE_ROOT, "dist/ui/index.html"))) throw new Error("run npm run build first");

const port = 4000 + Math.floor(Math.random() * 1000);
const origin = `http://127.0.0.1:${port}`;
const server = spawn(process.execPath, [entry], {
  env: {
    ...process.env,
    DATABASE_URL: databaseUrlOf(database),
    PORT: String(port),
    HOST: "127.0.0.1",
    LOG_LEVEL: "warn",
  },
  stdio: ["ignore", "inherit", "inherit"],
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox"],
});
try {
  await waitForReady(server, "casebook", () => fetch(`${origin}/health`));
  for (let run = 1; run <= runs; run++) {
    const page = await browser.newPage({ viewport: { width: 1366, height: 860 } });
    const graphql: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname === "/graphql") graphql.push(request.postData() ?? "");
    });
    await page.goto(`${origin}/ui/`);
    await page.waitForFunction(() => performance.getEntriesByName("casebook:missions-shown").length > 0, null, {
      timeout: 60_000,
    });
    const shownAt = await page.evaluate(() => performance.getEntriesByName("casebook:missions-shown")[0]!.startTime);
    const rows = await page.getByTestId("mission-rows").getByRole("row").count();
    console.log(
      `run ${run}: ${graphql.length} GraphQL request(s), ${rows - 1} mission rows shown ${Math.round(shownAt)} ms after navigation start`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  server.kill("SIGTERM");
}
