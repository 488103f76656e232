import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // graphql 16 ships CJS (main) and ESM (module) builds without an exports map. Node, and so
    // type-graphql and Apollo, load the CJS one; Vite would hand test code the ESM one, and
    // schema objects from one fail graphql's instanceof checks in the other.
    alias: [{ find: /^graphql$/, replacement: "graphql/index.js" }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Crash and load tests run with `npm run test:reliability` (vitest.reliability.config.ts).
    exclude: [...configDefaults.exclude, "test/reliability/**"],
    // Tests open real SQLite files and start real servers; separate processes keep them apart.
    pool: "forks",
    // One PostgreSQL server for the run (embedded, or the one TEST_POSTGRES_URL names); test files
    // get databases on it from test/support/postgres.ts.
    globalSetup: ["test/support/postgres-global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { APP_ENV: "test" },
  },
});
