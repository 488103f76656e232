// A request that failed because the database could not be reached answers HTTP 503 with
// Retry-After, so load balancers and clients retry it instead of treating it as a bad request.
import type { ApolloServerPlugin } from "@apollo/server";

export function unavailableStatusPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const errors = response.body.singleResult.errors ?? [];
          if (errors.some((error) => error.extensions?.code === "SERVICE_UNAVAILABLE")) {
            response.http.status = 503;
            response.http.headers.set("retry-after", "1");
          }
        },
      };
    },
  };
}
