// `npm run docs:screenshots`: renews the README's pictures of the dashboard. Builds it, fills a
// temporary SQLite database with `npm run seed`, serves it, and has Debian's Chromium
// (CHROMIUM_PATH, else /usr/bin/chromium) photograph the missions list and a case into docs/.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { PACKAGE_ROOT } from "../src/package-root.js";
import { createApp } from "../src/server/app.js";
import { loadConfig } from "../src/server/config.js";

const DOCS = path.join(PACKAGE_ROOT, "docs");
const CASE_ID = "case-vendor-due-diligence-2-02";

function run(args: string[], env: Record<string, string> = {}): void {
  const result = spawnSync("npm", args, { cwd: PACKAGE_ROOT, env: { ...process.env, ...env }, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`npm ${args.join(" ")} failed (${result.status})`);
}

async function main(): Promise<void> {
  run(["run", "--silent", "build:ui"]);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "casebook-screenshots-"));
  const url = `file:${path.join(dir, "entities.db")}`;
  try {
    run(["run", "--silent", "seed"], { DATABASE_URL: url });
    const app = await createApp(loadConfig({ APP_ENV: "test", DATABASE_URL: url, PORT: "0", LOG_LEVEL: "silent" }));
    const origin = new URL(await app.listen()).origin;
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
      await page.goto(`${origin}/ui/`);
      await page.getByTestId("mission-rows").waitFor();
      await page
        .getByTestId("live-state")
        .filter({ hasText: /^Live$/ })
        .waitFor();
      fs.mkdirSync(DOCS, { recursive: true });
      await page.screenshot({ path: path.join(DOCS, "dashboard-missions.png") });
      await page.goto(`${origin}/ui/cases/${CASE_ID}`);
      await page.getByTestId("transition").first().waitFor();
      await page.getByTestId("step-rows").waitFor();
      await page.screenshot({ path: path.join(DOCS, "dashboard-case.png"), fullPage: true });
      process.stdout.write(`wrote docs/dashboard-missions.png and docs/dashboard-case.png\n`);
    } finally {
      await browser.close();
      await app.close();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`docs:screenshots failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
