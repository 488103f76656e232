// Builds a casebook server (database, services, GraphQL, HTTP) without listening, so tests and
// main.ts start it the same way.

import { randomUUID } from "node:crypto";
import http, { type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { ApolloServer } from "@apollo/server";
import type { Database } from "../db/database.js";
import type { MigrationResult } from "../db/migrations.js";
import { openDatabase } from "../db/open.js";
import { createContext, type GraphQLContext } from "../graphql/context.js";
import { ReadyQueries } from "../graphql/ready-queries.js";
import { buildCasebookSchema } from "../graphql/schema.js";
import { PACKAGE_ROOT } from "../package-root.js";
import { ChangeHub } from "../services/change-hub.js";
import { type DeadlineSweeper, startDeadlineSweeper } from "../services/deadline-sweeper.js";
import { createServices, type Services } from "../services/services.js";
import { createApolloServer } from "./apollo-server.js";
import type { Config } from "./config.js";
import { createDashboardRoute, dashboardAuth } from "./dashboard-route.js";
import { sendError, serveGraphQL } from "./graphql-route.js";
import { httpServerOptions } from "./hardening.js";
import { createLogger, type Logger } from "./logger.js";
import { ReadyQueryRoute } from "./ready-query-route.js";
import { requestLogWriter } from "./request-log-plugin.js";
import { type SubscriptionServer, startSubscriptionServer } from "./subscriptions.js";

export interface App {
  config: Config;
  db: Database;
  services: Services;
  logger: Logger;
  migrations: MigrationResult;
  server: http.Server;
  /** Requests answered from queries Apollo answered before (ready-query-route.ts), for diagnostics. */
  readyQueryAnswers(): number;
  /** Subscriptions following the change feed in this process, for diagnostics. */
  liveSubscribers(): number;
  /** Starts listening; resolves to the GraphQL URL. */
  listen(): Promise<string>;
  /** Stops accepting, lets in-flight requests finish (bounded), closes the database. */
  close(): Promise<void>;
}

/** Where `npm run build` writes the dashboard (ui/vite.config.ts). */
const DASHBOARD_FOLDER = path.join(PACKAGE_ROOT, "dist/ui");

export interface AppOptions {
  /** Where the built dashboard is; dist/ui unless a test built it elsewhere. */
  dashboardFolder?: string;
}

export async function createApp(
  config: Config,
  logger: Logger = createLogger(config),
  options: AppOptions = {},
): Promise<App> {
  const { db, migrations } = await openDatabase({
    ...config,
    onIdleError: (error) => logger.warn({ err: error }, "a pooled database connection failed; it will be replaced"),
    onNotifyError: (error) =>
      logger.warn({ err: error }, "telling other processes of new changes failed; they learn of them with the next"),
  });
  const services = createServices(db.store);
  const sweeper = startDeadlineSweeper(services.sweepDeadlines, config.deadlineSweepIntervalMs, (error) =>
    logger.warn({ err: error }, "checking wait deadlines failed; the next check tries again"),
  );
  // Pruning the change feed runs like the deadline sweep: on an interval, errors logged and retried.
  const pruner = startDeadlineSweeper(
    () => services.changes.prune(new Date(), config.changeRetentionHours),
    config.changePruneIntervalMs,
    (error) => logger.warn({ err: error }, "pruning the change feed failed; the next run tries again"),
  );
  const hub = new ChangeHub(db.store, (error) => logger.warn({ err: error }, "reading the change feed failed"));
  try {
    await hub.start(db, config.changePollIntervalMs);
    const readyQueries = new ReadyQueries();
    const apollo = await createApolloServer(config, logger, readyQueries);
    const readyQueryRoute = new ReadyQueryRoute({
      queries: readyQueries,
      auth: config,
      maxCost: config.limits.maxCost,
      log: requestLogWriter(logger),
    });
    const dashboard = config.dashboard
      ? createDashboardRoute(options.dashboardFolder ?? DASHBOARD_FOLDER, dashboardAuth(config))
      : undefined;
    if (dashboard && !dashboard.built) {
      logger.warn({ folder: dashboard.folder }, "the dashboard is not built: run npm run build to serve it at /ui/");
    }

    const server = http.createServer(httpServerOptions(config), (req, res) => {
      const requestId = requestIdOf(req);
      res.setHeader("x-request-id", requestId);
      const url = new URL(req.url ?? "/", "http://localhost");
      const route = (async () => {
        if (url.pathname === "/graphql") {
          return serveGraphQL(req, res, url, {
            apollo,
            bodyLimitBytes: config.bodyLimitBytes,
            context: async () => createContext(services, requestId),
            readyQueries: readyQueryRoute,
          });
        }
        if (url.pathname === "/health") return health(db, res);
        if (dashboard?.answers(req, url)) return dashboard.serve(req, res, url);
        sendError(res, 404, "NOT_FOUND", `no route ${url.pathname}; GraphQL is at /graphql`);
      })();
      route.catch((error: unknown) => {
        logger.error({ err: error, requestId }, "request failed");
        if (!res.headersSent) sendError(res, 500, "INTERNAL_SERVER_ERROR", "Internal server error");
        else res.end();
      });
    });
    server.requestTimeout = config.requestTimeoutMs;
    server.headersTimeout = Math.min(config.requestTimeoutMs, 60_000);
    const subscriptions = startSubscriptionServer({
      server,
      schema: await buildCasebookSchema(),
      services,
      hub,
      config,
      logger,
    });

    let closing: Promise<void> | undefined;
    return {
      config,
      db,
      services,
      logger,
      migrations,
      server,
      readyQueryAnswers: () => readyQueryRoute.answered,
      liveSubscribers: () => hub.subscriberCount,
      listen: () =>
        new Promise((resolve, reject) => {
          server.once("error", reject);
          server.listen(config.port, config.host, () => {
            const { port } = server.address() as AddressInfo;
            const host = config.host.includes(":") ? `[${config.host}]` : config.host;
            resolve(`http://${host}:${port}/graphql`);
          });
        }),
      close: () =>
        (closing ??= shutdown(server, subscriptions, apollo, db, [sweeper, pruner], config.shutdownTimeoutMs)),
    };
  } catch (error) {
    await hub.close();
    await pruner.stop();
    await sweeper.stop();
    await db.close();
    throw error;
  }
}

async function health(db: Database, res: http.ServerResponse): Promise<void> {
  const ok = await db.ping().then(
    () => true,
    () => false,
  );
  res.statusCode = ok ? 200 : 503;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify({ status: ok ? "ok" : "unavailable", database: ok ? "reachable" : "unreachable" }));
}

// A caller's own request id is kept when it is short and printable, so logs line up across systems.
function requestIdOf(req: IncomingMessage): string {
  const given = req.headers["x-request-id"];
  return typeof given === "string" && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
}

async function shutdown(
  server: http.Server,
  subscriptions: SubscriptionServer,
  apollo: ApolloServer<GraphQLContext>,
  db: Database,
  sweepers: DeadlineSweeper[],
  timeoutMs: number,
): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // Subscribers are told the server is going away (1001) and reconnect elsewhere with their cursor.
  await subscriptions.close();
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
  await closed;
  clearTimeout(timer);
  await apollo.stop();
  // No sweep or prune may start on, or still run against, a closed database.
  for (const sweeper of sweepers) await sweeper.stop();
  await db.close();
}
