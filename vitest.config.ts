import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests open real SQLite files and start real servers; separate processes keep them apart.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { APP_ENV: "test" },
  },
});
