// A real PostgreSQL server for tests (scripts/lib/embedded-postgres.ts), so that `npm test` needs
// no PostgreSQL installed: each in its own temporary folder, destroyed after the run, tuned for
// speed rather than durability.
import {
  type EmbeddedPostgresServer,
  startEmbeddedPostgres as startServer,
} from "../../scripts/lib/embedded-postgres.js";

export type { EmbeddedPostgresServer };

/** The TimeZone every test server runs in: not UTC, so code that assumes a UTC server fails here. */
export const TEST_SERVER_TIME_ZONE = "America/Los_Angeles";

// Settings for a disposable server: nothing survives a machine crash anyway, so durability is
// traded for speed.
const TEST_SERVER_SETTINGS = {
  fsync: "off",
  synchronous_commit: "off",
  full_page_writes: "off",
  TimeZone: TEST_SERVER_TIME_ZONE,
};

/**
 * Creates and starts a new server. Fails with the server's own last words (initdb's or postgres's
 * output) when it cannot start.
 */
export function startEmbeddedPostgres(): Promise<EmbeddedPostgresServer> {
  return startServer({ settings: TEST_SERVER_SETTINGS, initdbNoSync: true });
}
