// `npm run test:reliability`: crash, concurrency and load tests against real server processes.
// Slower than `npm test`, so kept apart from it; CI runs both.
import { defineConfig } from "vitest/config";
import { sharedConfig as base } from "./vitest.config.js";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["test/reliability/**/*.test.ts"],
    exclude: [],
    // One file at a time: each starts its own servers and clients, and timing matters.
    fileParallelism: false,
    testTimeout: 240_000,
    hookTimeout: 120_000,
  },
});
