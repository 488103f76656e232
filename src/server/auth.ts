// API keys. When API_KEYS is set, mutations (and with REQUIRE_AUTH_FOR_QUERIES every operation)
// need `Authorization: Bearer <key>`. The decision is taken once the document is parsed and the
// operation to run is known, so a mutation cannot pass as a query: not in a document with
// several operations, not by any choice of operationName.
import { createHash, timingSafeEqual } from "node:crypto";
import { type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import { type DocumentNode, GraphQLError, Kind, type OperationDefinitionNode } from "graphql";
import type { Config } from "./config.js";
import { isLoopbackHost } from "./network.js";

const UNAUTHENTICATED = "UNAUTHENTICATED";

/**
 * Compares a presented key with every configured key in time that does not depend on where
 * they differ: both sides are hashed to 32 bytes first, so lengths never leak either.
 */
export function createKeyCheck(keys: readonly string[]): (presented: string | undefined) => boolean {
  const digests = keys.map(sha256);
  return (presented) => {
    if (presented === undefined || presented.length === 0) return false;
    const candidate = sha256(presented);
    let match = false;
    for (const digest of digests) match = timingSafeEqual(candidate, digest) || match;
    return match;
  };
}

/** The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive. */
export function bearerToken(header: string | undefined | null): string | undefined {
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header ?? "");
  return match?.[1];
}

export function apiKeyPlugin(
  config: Pick<Config, "apiKeys" | "requireAuthForQueries">,
): ApolloServerPlugin | undefined {
  if (config.apiKeys.length === 0) return undefined;
  const isValid = createKeyCheck(config.apiKeys);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document, operation }) {
          if (!config.requireAuthForQueries && !changesData(document, operation)) return;
          if (isValid(bearerToken(request.http?.headers.get("authorization")))) return;
          throw unauthenticated(config.requireAuthForQueries ? "every operation" : "mutations");
        },
      };
    },
  };
}

// Without a resolved operation nothing runs, but a document that holds any mutation is still
// treated as one: the error then says what is missing rather than which operation to pick.
function changesData(document: DocumentNode, operation: OperationDefinitionNode | undefined): boolean {
  if (operation) return operation.operation !== "query";
  return document.definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation !== "query");
}

function unauthenticated(what: string): GraphQLError {
  return new GraphQLError(`${what} need an API key: send "Authorization: Bearer <key>"`, {
    extensions: {
      code: UNAUTHENTICATED,
      http: { status: 401, headers: new HeaderMap([["www-authenticate", 'Bearer realm="casebook"']]) },
    },
  });
}

function sha256(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

/** The warning main.ts logs at start-up, or undefined when there is nothing to warn about. */
export function exposureWarning(config: Pick<Config, "apiKeys" | "host">): string | undefined {
  if (config.apiKeys.length > 0 || isLoopbackHost(config.host)) return undefined;
  return "listening beyond loopback without API_KEYS: anyone who can reach this port can change data";
}
