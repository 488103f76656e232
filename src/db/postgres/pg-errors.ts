// PostgreSQL's error codes (SQLSTATE) that casebook tells apart: constraint violations that are
// the caller's doing, conflicts worth retrying, and the database being out of reach.

import { ServiceUnavailableError } from "../../domain/errors.js";

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

export function constraintOf(error: unknown): string | undefined {
  const constraint = (error as { constraint?: unknown } | null)?.constraint;
  return typeof constraint === "string" ? constraint : undefined;
}

export const isUniqueViolation = (error: unknown) => sqlState(error) === "23505";
export const isForeignKeyViolation = (error: unknown) => sqlState(error) === "23503";

/** serialization_failure and deadlock_detected: the transaction may succeed if run again. */
export const isRetryableConflict = (error: unknown) => ["40001", "40P01"].includes(sqlState(error) ?? "");

/** Text PostgreSQL cannot store (a NUL character in text or JSON): bad input, not a fault. */
export const isUnstorableText = (error: unknown) => ["22021", "22P05"].includes(sqlState(error) ?? "");

// Network errors of the driver, and the server refusing or dropping connections: shutting down
// (57P01–57P03), connection exceptions (08xxx), too many connections (53300).
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);
const UNREACHABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i;

/** The database could not be reached or dropped the connection: retry later, not a fault of the request. */
export function isUnreachable(error: unknown): boolean {
  const code = sqlState(error);
  if (code !== undefined && (UNREACHABLE_CODES.has(code) || /^(08|57P0)/.test(code) || code === "53300")) return true;
  return error instanceof Error && UNREACHABLE_MESSAGES.test(error.message);
}

/**
 * The database did not answer in time: the server cancelled the statement (statement_timeout,
 * or a lock waited on past it), or the driver stopped waiting for an answer that never came
 * (query_timeout: a hung server or network). Either way nothing was done, and a retry may succeed.
 */
export function isTimeout(error: unknown): boolean {
  return sqlState(error) === "57014" || (error instanceof Error && error.message === "Query read timeout");
}

/** host:port/database of a PostgreSQL URL, without its user or password, for messages and logs. */
export function redactedLocation(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || parsed.searchParams.get("host") || "localhost"}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}

/**
 * Why a PostgreSQL database could not be opened, in one line naming where, when the cause is
 * the connection (refused, timed out, unknown host, wrong password, no such database); else
 * undefined.
 */
export function connectionFailure(error: unknown, url: string): string | undefined {
  const cause = error instanceof ServiceUnavailableError ? error.cause : error;
  const code = sqlState(cause);
  if (code === undefined && !isUnreachable(cause)) return undefined;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return `cannot connect to PostgreSQL at ${redactedLocation(url)}: ${reason}${code && !reason.includes(code) ? ` (${code})` : ""}`;
}
