// Vitest global setup of the "browser" project: builds the dashboard from the sources as they are
// now, as `npm run build` does, into the browser tests' own folder.
import path from "node:path";
import { build } from "vite";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { DASHBOARD_TEST_BUILD } from "./support/dashboard-build.js";

export default async function buildDashboard(): Promise<void> {
  // Vitest sets NODE_ENV=test, which would give React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      configFile: path.join(PACKAGE_ROOT, "ui/vite.config.ts"),
      mode: "production",
      logLevel: "warn",
      build: { outDir: DASHBOARD_TEST_BUILD, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
