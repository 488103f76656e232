// The Apollo Server casebook runs: its schema, error formatting, and the plugins each request
// goes through. Kept apart from the HTTP wiring so the benchmarks measure exactly this server.
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginLandingPageLocalDefault } from "@apollo/server/plugin/landingPage/default";
import { compiledExecutionGateway } from "../graphql/compiled-executor.js";
import type { GraphQLContext } from "../graphql/context.js";
import { createErrorFormatter } from "../graphql/errors.js";
import { mutationProgressPlugin } from "../graphql/mutation-progress.js";
import type { ReadyQueries } from "../graphql/ready-queries.js";
import { buildCasebookSchema } from "../graphql/schema.js";
import type { Config } from "./config.js";
import { apolloHardening } from "./hardening.js";
import type { Logger } from "./logger.js";
import { requestLogPlugin, requestLogWriter } from "./request-log-plugin.js";
import { unavailableStatusPlugin } from "./unavailable-status-plugin.js";

/**
 * The server; with `readyQueries`, every query it answers compiled without errors is also
 * remembered there (graphql/ready-queries.ts).
 */
export async function createApolloServer(
  config: Config,
  logger: Logger,
  readyQueries?: ReadyQueries,
): Promise<ApolloServer<GraphQLContext>> {
  const hardening = apolloHardening<GraphQLContext>(config);
  const apollo = new ApolloServer<GraphQLContext>({
    // Operations run compiled (compiled-executor.ts); Apollo parses, validates and caches them.
    gateway: compiledExecutionGateway(await buildCasebookSchema(), readyQueries),
    parseOptions: hardening.parseOptions,
    validationRules: hardening.validationRules,
    introspection: config.introspection,
    csrfPrevention: true,
    // main.ts owns SIGTERM/SIGINT: it drains HTTP first and stops Apollo last. Apollo's own
    // handlers would stop it under in-flight requests (and a second stop() never settles).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: config.appEnv === "development",
    formatError: createErrorFormatter({
      exposeInternals: config.appEnv === "development",
      onInternalError: (error) => logger.error({ err: error }, "unexpected error in a GraphQL request"),
    }),
    plugins: [
      config.sandbox
        ? ApolloServerPluginLandingPageLocalDefault({ embed: true })
        : ApolloServerPluginLandingPageDisabled(),
      // casebook sets no cache hints and answers POSTs, which no cache stores. Apollo's
      // cache-control plugin, on by default, would still wrap every field resolver to compute
      // a policy nobody reads, on every read (BENCHMARKS.md).
      ApolloServerPluginCacheControlDisabled(),
      requestLogPlugin(requestLogWriter(logger)),
      mutationProgressPlugin(),
      // Only a database over the network can be out of reach for a while.
      ...(config.database.engine === "postgresql" ? [unavailableStatusPlugin<GraphQLContext>()] : []),
      ...hardening.plugins,
    ],
  });
  await apollo.start();
  return apollo;
}
