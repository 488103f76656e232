// The one place where errors become the contract's `extensions.code`. Domain errors keep their
// message and fields; GraphQL's own errors keep Apollo's code (value errors become
// BAD_USER_INPUT); anything else is masked as INTERNAL_SERVER_ERROR.

import { unwrapResolverError } from "@apollo/server/errors";
import type { GraphQLFormattedError } from "graphql";
import { DomainError } from "../domain/errors.js";

const INTERNAL_MESSAGE = "Internal server error";

// Codes Apollo and graphql-js give to problems with the request itself; passed through as is.
const REQUEST_ERROR_CODES = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "QUERY_TOO_COMPLEX",
]);

// graphql-js reports a literal argument of the wrong type as a validation error; to a client it
// is bad input like any other.
const VALUE_ERROR =
  /^(Expected value of type|Enum "|Value "|Int cannot|Float cannot|String cannot|Boolean cannot|ID cannot|JSON|Field ".*" of required type)|cannot represent|is not defined by type/;

export function createErrorFormatter(options: {
  exposeInternals: boolean;
  onInternalError?: (error: unknown) => void;
}) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    if (original instanceof DomainError) {
      return {
        message: original.message,
        locations: formatted.locations,
        path: formatted.path,
        extensions: { code: original.code, ...original.details },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && REQUEST_ERROR_CODES.has(code)) {
      const badInput =
        code === "BAD_USER_INPUT" || (code === "GRAPHQL_VALIDATION_FAILED" && VALUE_ERROR.test(formatted.message));
      if (!badInput) return formatted;
      const field = formatted.extensions?.field ?? inputFieldOf(formatted.message, error);
      return {
        ...formatted,
        extensions: { ...formatted.extensions, code: "BAD_USER_INPUT", ...(field ? { field } : {}) },
      };
    }
    options.onInternalError?.(original);
    if (options.exposeInternals) {
      return { ...formatted, extensions: { ...formatted.extensions, code: "INTERNAL_SERVER_ERROR" } };
    }
    return {
      message: INTERNAL_MESSAGE,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    };
  };
}

// graphql-js names the bad input only in its message, or by where the value stands in the query.
// `field` is the innermost name, as the services report it ("metadata", not "input.metadata").
function inputFieldOf(message: string, error: unknown): string | undefined {
  const inputField = /Field "(?:\w+\.)?(\w+)" (?:of required type|is not defined by type)/.exec(message)?.[1];
  if (inputField) return inputField;
  const path = /^Variable "\$\w+" got invalid value [\s\S]*? at "([^"]+)"; /.exec(message)?.[1];
  if (path)
    return path
      .split(/[.[\]]/)
      .filter((part) => part !== "" && !/^\d+$/.test(part))
      .at(-1);
  const variable = /^Variable "\$(\w+)"/.exec(message)?.[1];
  if (variable) return variable;
  // A literal in the query: the name written before it, as in `metadata: "oops"`.
  const { source, positions } = (error ?? {}) as { source?: { body?: string }; positions?: readonly number[] };
  const at = positions?.[0];
  if (typeof source?.body !== "string" || at === undefined) return undefined;
  return /(\w+)\s*:\s*(?:\[[^\]:]*)?$/.exec(source.body.slice(0, at))?.[1];
}
