// One log line per GraphQL request: request id, operation, duration and error codes.
import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLContext } from "../graphql/context.js";
import type { Logger } from "./logger.js";

export function requestLogPlugin(logger: Logger): ApolloServerPlugin<GraphQLContext> {
  // These lines carry only the fields written below, none of them a credential: they skip the
  // redaction pass every other line goes through, which would cost more than the line itself.
  const requests = logger.child({}, { redact: [] });
  return {
    async requestDidStart({ contextValue }) {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, operation, response, errors }) {
          const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          const codes = body?.errors ? body.errors.map((e) => e.extensions?.code).filter(Boolean) : [];
          const entry = {
            requestId: contextValue.requestId,
            operationName: operationName ?? null,
            operationType: operation?.operation ?? null,
            durationMs: Math.round(durationMs * 100) / 100,
            ...(codes.length > 0 ? { errorCodes: codes } : {}),
          };
          if (errors?.length && codes.includes("INTERNAL_SERVER_ERROR"))
            requests.error(entry, "graphql request failed");
          else requests.info(entry, "graphql request");
        },
      };
    },
  };
}
