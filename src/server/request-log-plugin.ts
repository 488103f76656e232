// One log line per GraphQL request: request id, operation, duration and error codes.
import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLContext } from "../graphql/context.js";
import type { Logger } from "./logger.js";

interface RequestLogEntry {
  requestId: string;
  operationName: string | null;
  operationType: string | null;
  durationMs: number;
  errorCodes?: unknown[];
}

export type RequestLogWriter = (entry: RequestLogEntry, failed?: boolean) => void;

/** Writes the line; Apollo's requests (below) and ready queries (ready-query-route.ts) share it. */
export function requestLogWriter(logger: Logger): RequestLogWriter {
  // These lines carry only the fields of RequestLogEntry, none of them a credential: they skip
  // the redaction pass every other line goes through, which would cost more than the line itself.
  const requests = logger.child({}, { redact: [] });
  return (entry, failed = false) => {
    if (failed) requests.error(entry, "graphql request failed");
    else requests.info(entry, "graphql request");
  };
}

/** Milliseconds since `started` (process.hrtime.bigint()), to two decimals. */
export function elapsedMs(started: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100;
}

export function requestLogPlugin(write: RequestLogWriter): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, response, errors }) {
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          const codes = body?.errors ? body.errors.map((e) => e.extensions?.code).filter(Boolean) : [];
          const entry: RequestLogEntry = {
            requestId: contextValue.requestId,
            operationName: operationName ?? null,
            operationType: operation?.operation ?? null,
            durationMs: elapsedMs(started),
            ...(codes.length > 0 ? { errorCodes: codes } : {}),
          };
          write(entry, Boolean(errors?.length && codes.includes("INTERNAL_SERVER_ERROR")));
        },
      };
    },
  };
}
