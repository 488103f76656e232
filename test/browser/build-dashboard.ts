// Vitest global setup of the "browser" project: builds the dashboard into dist/ui, as
// `npm run build` does, so the pages under test are the ones the sources make now.
import path from "node:path";
import { build } from "vite";
import { PACKAGE_ROOT } from "../../src/package-root.js";

export default async function buildDashboard(): Promise<void> {
  // Vitest sets NODE_ENV=test, which would give React's development build.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile: path.join(PACKAGE_ROOT, "ui/vite.config.ts"), mode: "production", logLevel: "warn" });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
