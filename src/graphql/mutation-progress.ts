// What a document with several mutations wrote before one failed. GraphQL runs a document's
// mutation fields one after another, each here in its own transaction; a failing field stops the
// rest, and since every mutation returns a non-null type, its null takes `data` with it. The
// fields that ran before it were committed all the same: each mutation field records its
// response key when it has written, and a failed response lists them as `extensions.written`.
import type { ApolloServerPlugin } from "@apollo/server";
import type { MiddlewareFn } from "type-graphql";
import type { GraphQLContext } from "./context.js";

/** Middleware of every mutation field: once its write is committed, the field counts as written. */
export const recordWritten: MiddlewareFn<GraphQLContext> = async ({ context, info }, next) => {
  const result = await next();
  if (info.path.prev === undefined) context.written.push(String(info.path.key));
  return result;
};

/** Adds `extensions.written` (possibly empty) to a mutation's response that carries errors. */
export function mutationProgressPlugin(): ApolloServerPlugin<GraphQLContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ operation, response, contextValue }) {
          if (operation?.operation !== "mutation" || response.body.kind !== "single") return;
          const result = response.body.singleResult;
          if (!result.errors?.length) return;
          result.extensions = { ...result.extensions, written: [...contextValue.written] };
        },
      };
    },
  };
}
