// How values are stored, matching what Prisma's SQLite adapter writes and reads, so that rows
// written here read back identically through Prisma Client and Prisma Studio.
import type { JsonValue } from "../../domain/entities.js";

/** Prisma's default SQLite timestamp format (iso8601 with an explicit offset). */
export function encodeDate(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

export function decodeDate(value: unknown): Date {
  if (typeof value === "number" || typeof value === "bigint") return new Date(Number(value));
  if (typeof value === "string") return new Date(value);
  throw new TypeError(`not a stored timestamp: ${String(value)}`);
}

export function decodeOptionalDate(value: unknown): Date | null {
  return value === null || value === undefined ? null : decodeDate(value);
}

export function encodeJson(value: JsonValue | null | undefined): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function decodeJson(value: unknown): JsonValue | null {
  return value === null || value === undefined ? null : (JSON.parse(String(value)) as JsonValue);
}

export const encodeBoolean = (value: boolean): number => (value ? 1 : 0);
export const decodeBoolean = (value: unknown): boolean => value === 1 || value === 1n || value === true;
