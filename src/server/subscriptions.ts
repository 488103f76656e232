// GraphQL subscriptions over WebSocket (graphql-ws) on the HTTP server's port, at /graphql, as
// Apollo Server 5 documents it: a `ws` server for the upgrade and graphql-ws's protocol on it
// (graphql-ws-transport.ts: useServer's wiring, with sends that do not wait for each other). Only
// subscriptions run here (queries and mutations go to POST /graphql); each document is parsed,
// validated and costed with the same limits as over HTTP.
//
// Bounds: at most WS_MAX_CONNECTIONS sockets (more are closed with 1013, Try Again Later), at
// most WS_MAX_SUBSCRIPTIONS_PER_CONNECTION subscriptions on one, keep-alive pings every
// WS_KEEPALIVE_MS, and a subscriber that leaves more than WS_MAX_BUFFERED_BYTES unread on its
// socket (or more changes queued than the hub allows) is closed with 1013 too: it reconnects and
// resumes from the last cursor it received. On shutdown every socket is closed with 1001.
import type http from "node:http";
import type { GraphQLSchema } from "graphql";
import {
  type DocumentNode,
  GraphQLError,
  type OperationDefinitionNode,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import WebSocket, { WebSocketServer } from "ws";
import { createContext, type GraphQLContext } from "../graphql/context.js";
import { createErrorFormatter } from "../graphql/errors.js";
import type { ChangeHub } from "../services/change-hub.js";
import type { Services } from "../services/services.js";
import { bearerToken, createKeyCheck } from "./auth.js";
import type { Config } from "./config.js";
import { serveGraphqlWs } from "./graphql-ws-transport.js";
import type { Logger } from "./logger.js";
import { operationCost, queryLimits } from "./query-limits.js";
import { SharedLiveResults, shareKey, type WriteNext } from "./shared-live-results.js";

/** A socket closed because its consumer fell behind (or the process is at its connection limit). */
const TRY_AGAIN_LATER = 1013;
/** A socket closed because the server is going down. */
const GOING_AWAY = 1001;
/** Changes one subscriber may have waiting for its socket before it is closed as too slow. */
const MAX_QUEUED_CHANGES = 1000;
const BACKLOG_CHECK_INTERVAL_MS = 1000;

export interface SubscriptionServer {
  /** Ends every subscription and closes every socket with 1001. */
  close(): Promise<void>;
  readonly connections: number;
}

export function startSubscriptionServer(options: {
  server: http.Server;
  schema: GraphQLSchema;
  services: Services;
  hub: ChangeHub;
  config: Config;
  logger: Logger;
}): SubscriptionServer {
  const { server, schema, services, hub, config, logger } = options;
  const wss = new WebSocketServer({ server, path: "/graphql" });
  const limits = queryLimits(config.limits, {
    hideSuggestions: config.appEnv === "production" || !config.introspection,
  });
  const rules = [...specifiedRules, ...limits.validationRules];
  const formatError = createErrorFormatter({
    exposeInternals: config.appEnv === "development",
    onInternalError: (error) => logger.error({ err: error }, "unexpected error in a subscription"),
  });
  const keyCheck =
    config.apiKeys.length > 0 && config.requireAuthForQueries ? createKeyCheck(config.apiKeys) : undefined;
  const subscriptionsOf = new WeakMap<WebSocket, Set<string>>();
  // Each change is executed once per distinct document and variables, not once per subscriber.
  const sharedResults = new SharedLiveResults();
  const sharedOf = new WeakMap<GraphQLContext, { key: string; write: WriteNext }>();
  // The hub has each change executed once per document before handing it out, so that most
  // subscribers' messages are written as the change reaches them.
  hub.prepareWith((work) => sharedResults.prepare(work));

  // Before graphql-ws sees the socket: a process at its limit turns new sockets away.
  wss.on("connection", (socket) => {
    if (wss.clients.size > config.wsMaxConnections)
      socket.close(TRY_AGAIN_LATER, "too many connections; try again later");
  });

  const tooSlow = (socket: WebSocket) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    logger.warn({ bufferedBytes: socket.bufferedAmount }, "closing a subscriber that does not keep up (1013)");
    socket.close(TRY_AGAIN_LATER, "subscriber too slow; resume from the last cursor received");
    // The close frame waits behind what the peer has not read: a peer that reads nothing never
    // sees it, and is dropped after a grace period (it sees 1006 then).
    setTimeout(() => socket.terminate(), 5000).unref();
  };

  // A consumer that stopped reading may have been sent everything already: nothing new would
  // notice it. Its socket's backlog is looked at on a timer as well.
  const backlogCheck = setInterval(() => {
    for (const socket of wss.clients) if (socket.bufferedAmount > config.wsMaxBufferedBytes) tooSlow(socket);
  }, BACKLOG_CHECK_INTERVAL_MS);
  backlogCheck.unref();

  const serverCleanup = serveGraphqlWs<Record<string, unknown> | undefined>(
    {
      schema,
      // `authorization: "Bearer <key>"` in connection_init's payload, when API keys guard reads.
      onConnect: (ctx) => {
        if (!keyCheck) return true;
        const given = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
        return keyCheck(bearerToken(typeof given === "string" ? given : undefined));
      },
      onSubscribe: (ctx, id, payload) => {
        let document: DocumentNode;
        try {
          document = parse(payload.query, limits.parseOptions);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError(String(error))];
        }
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return errors;
        const operation = operationOf(document, payload.operationName);
        if (!operation) return [new GraphQLError("the document names no operation to run")];
        if (operation.operation !== "subscription") {
          return [
            new GraphQLError("only subscriptions run over WebSocket; send queries and mutations to POST /graphql"),
          ];
        }
        const cost = operationCost(schema, document, operation, payload.variables ?? {});
        if (cost > config.limits.maxCost) {
          return [
            new GraphQLError(`Query cost limit of ${config.limits.maxCost} exceeded, found ${cost}`, {
              extensions: { code: "QUERY_TOO_COMPLEX", limit: "maxCost", max: config.limits.maxCost, found: cost },
            }),
          ];
        }
        const socket = ctx.extra.socket;
        const open = subscriptionsOf.get(socket) ?? new Set<string>();
        subscriptionsOf.set(socket, open);
        if (open.size >= config.wsMaxSubscriptionsPerConnection) {
          return [
            new GraphQLError(`at most ${config.wsMaxSubscriptionsPerConnection} subscriptions per connection`, {
              extensions: { code: "QUERY_TOO_COMPLEX", limit: "wsMaxSubscriptionsPerConnection" },
            }),
          ];
        }
        open.add(id);
        const key = shareKey(document, operation, payload.variables);
        const idJson = JSON.stringify(id);
        // The message graphql-ws would build, around JSON serialised once for every subscriber.
        const write: WriteNext = (payloadJson) =>
          ctx.extra.send(`{"id":${idJson},"type":"next","payload":${payloadJson}}`);
        const contextValue: GraphQLContext = {
          ...createContext(services),
          live: {
            subscribe: (after, filter) =>
              hub.subscribe({
                after,
                filter,
                maxQueued: MAX_QUEUED_CHANGES,
                isBackedUp: () => socket.bufferedAmount > config.wsMaxBufferedBytes,
                onTooSlow: () => tooSlow(socket),
                group: key,
                deliverReady: (change) => sharedResults.writeReady(key, change, write),
              }),
          },
        };
        sharedOf.set(contextValue, { key, write });
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      subscribe: (args) => {
        const shared = sharedOf.get(args.contextValue as GraphQLContext);
        if (shared === undefined) throw new Error("a subscription that did not pass onSubscribe");
        return sharedResults.subscribe(args, shared.key, shared.write);
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors
          ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) }
          : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((error) => formatError(error.toJSON(), error)) as never,
      onComplete: (ctx, id) => {
        subscriptionsOf.get(ctx.extra.socket)?.delete(id);
      },
    },
    wss,
    config.wsKeepAliveMs > 0 ? config.wsKeepAliveMs : Number.POSITIVE_INFINITY,
    logger,
  );

  return {
    get connections() {
      return wss.clients.size;
    },
    close: async () => {
      clearInterval(backlogCheck);
      sharedResults.close();
      // Subscriptions end first (their iterators complete), then each socket is told the server is going away.
      await hub.close();
      for (const socket of wss.clients) socket.close(GOING_AWAY, "server shutting down");
      await serverCleanup.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

function operationOf(document: DocumentNode, name: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === "OperationDefinition");
  if (name) return operations.find((o) => o.name?.value === name);
  return operations.length === 1 ? operations[0] : undefined;
}
