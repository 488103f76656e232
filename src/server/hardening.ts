// What bounds each request: for Apollo (apollo-server.ts), API keys first (an unauthenticated
// caller learns nothing else), then the query limits; for Node's http server (app.ts), a timer
// that enforces REQUEST_TIMEOUT_MS close to the configured time.

import type { ServerOptions } from "node:http";
import type { ApolloServerPlugin, BaseContext } from "@apollo/server";
import { apiKeyPlugin } from "./auth.js";
import type { Config } from "./config.js";
import { queryLimits } from "./query-limits.js";

export function apolloHardening<TContext extends BaseContext>(config: Config) {
  const auth = apiKeyPlugin(config);
  // Suggestions ("Did you mean …?") spell out the schema to callers who may not introspect it.
  const limits = queryLimits(config.limits, {
    hideSuggestions: config.appEnv === "production" || !config.introspection,
  });
  return {
    parseOptions: limits.parseOptions,
    validationRules: limits.validationRules,
    plugins: [...(auth ? [auth] : []), ...limits.plugins] as ApolloServerPlugin<TContext>[],
  };
}

// Node checks requestTimeout and headersTimeout only every connectionsCheckingInterval
// (30 s by default), so a short timeout would otherwise be overrun by up to that much.
export function httpServerOptions(config: Pick<Config, "requestTimeoutMs">): ServerOptions {
  return { connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(config.requestTimeoutMs / 4))) };
}
