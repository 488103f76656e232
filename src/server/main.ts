// Starts casebook: read the configuration, open and migrate the database, serve, and shut down
// cleanly on SIGTERM/SIGINT.
import "./gc-tuning.js";
import "dotenv/config";
import { type App, createApp } from "./app.js";
import { exposureWarning } from "./auth.js";
import { INVALID_CONFIGURATION_EXIT_CODE, loadConfigOrReport } from "./config.js";
import { createLogger } from "./logger.js";
import { startupFailure } from "./startup-failure.js";

async function main(): Promise<void> {
  const config = loadConfigOrReport("casebook");
  if (!config) process.exit(INVALID_CONFIGURATION_EXIT_CODE);
  const logger = createLogger(config);
  let app: App;
  try {
    app = await createApp(config, logger);
  } catch (error) {
    const failure = startupFailure(error, config);
    if (failure) {
      logger.fatal({ err: error }, failure.message);
      process.stderr.write(`casebook: cannot start: ${failure.message}\n`);
      process.exit(failure.exitCode);
    }
    throw error;
  }
  const running = await app.services.runningCounts();
  logger.info(
    {
      database: app.db.location,
      engine: app.db.engine,
      migrationsApplied: app.migrations.applied,
      migrationsAlreadyApplied: app.migrations.alreadyApplied.length,
      running,
    },
    `database ready: ${running.missions} missions, ${running.jobs} jobs, ${running.cases} cases running`,
  );
  const url = await app.listen();
  const exposed = exposureWarning(config);
  if (exposed) logger.warn({ host: config.host }, exposed);
  logger.info({ url, appEnv: config.appEnv }, `casebook listening on ${url}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    app
      .close()
      .then(() => {
        logger.info("stopped cleanly");
        // Log lines are written asynchronously: flush them before the process ends.
        logger.flush(() => process.exit(0));
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        logger.flush(() => process.exit(1));
      });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((error: unknown) => {
  process.stderr.write(`casebook: failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
