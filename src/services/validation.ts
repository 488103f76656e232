// Rules for arguments that come from outside. Each failure names the offending field.
import { randomUUID } from "node:crypto";
import { costToMicros, MAX_COST } from "../domain/cost.js";
import type { JsonObject, JsonValue } from "../domain/entities.js";
import { BadUserInputError } from "../domain/errors.js";
import { type EntityStatus, isEntityStatus } from "../domain/lifecycle.js";
import { hasLoneSurrogate, isStorableJson } from "../domain/storable-text.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const MAX_ID_LENGTH = 128;
const MAX_NAME_LENGTH = 1000;
// Ids end up in URLs, logs and other systems' keys: keep them to a safe, printable alphabet.
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;

export function pageSize(first: number | null | undefined, field = "first"): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw new BadUserInputError(`"${field}" must be an integer from 0 to ${MAX_PAGE_SIZE}, got ${first}`, field);
  }
  return first;
}

/** A client-supplied id, or a generated one with the entity's prefix ("job-…"). */
export function entityId(id: string | null | undefined, prefix: string, field = "id"): string {
  if (id === undefined || id === null) return `${prefix}-${randomUUID()}`;
  if (id.length === 0 || id.length > MAX_ID_LENGTH || !ID_PATTERN.test(id)) {
    throw new BadUserInputError(
      `"${field}" must be 1 to ${MAX_ID_LENGTH} characters of letters, digits and . _ : @ - (starting with a letter or digit)`,
      field,
    );
  }
  return id;
}

export function requiredText(value: string | null | undefined, field: string, max = MAX_NAME_LENGTH): string {
  if (typeof value !== "string" || value.trim().length === 0) {
    throw new BadUserInputError(`"${field}" must not be empty`, field);
  }
  return boundedText(value, field, max);
}

export function optionalText(
  value: string | null | undefined,
  field: string,
  max = 100_000,
): string | null | undefined {
  if (value === undefined || value === null) return value;
  return boundedText(value, field, max);
}

function boundedText(value: string, field: string, max: number): string {
  if (value.length > max) throw new BadUserInputError(`"${field}" is longer than ${max} characters`, field);
  if (value.includes("\u0000")) throw new BadUserInputError(`"${field}" contains a NUL character`, field);
  if (hasLoneSurrogate(value)) {
    throw new BadUserInputError(`"${field}" contains a lone surrogate, which is not Unicode text`, field);
  }
  return value;
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function jsonObject(value: unknown, field: string): JsonObject {
  if (!isJsonObject(value)) throw new BadUserInputError(`"${field}" must be a JSON object`, field);
  return optionalJson(value, field) as JsonObject;
}

export function optionalJsonObject(value: unknown, field: string): JsonObject | null | undefined {
  if (value === undefined || value === null) return value;
  return jsonObject(value, field);
}

export function optionalJson(value: unknown, field: string): JsonValue | null | undefined {
  if (value === undefined || value === null) return value;
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    throw new BadUserInputError(`"${field}" is not valid JSON`, field);
  }
  // Refused on every engine alike, though only PostgreSQL's jsonb cannot hold them.
  if (!isStorableJson(json)) {
    throw new BadUserInputError(`"${field}" holds a NUL character or a lone surrogate in a string or key`, field);
  }
  return value as JsonValue;
}

export function statusList(
  statuses: readonly string[] | null | undefined,
  field = "status",
): EntityStatus[] | undefined {
  if (statuses === undefined || statuses === null) return undefined;
  for (const s of statuses) {
    if (!isEntityStatus(s)) throw new BadUserInputError(`"${field}" has an unknown status ${String(s)}`, field);
  }
  return [...statuses] as EntityStatus[];
}

export function optionalVersion(version: number | null | undefined, field = "expectedVersion"): number | undefined {
  if (version === undefined || version === null) return undefined;
  if (!Number.isInteger(version) || version < 0) {
    throw new BadUserInputError(`"${field}" must be a non-negative integer`, field);
  }
  return version;
}

/** A cost in micro-units (domain/cost.ts), or null when left out. */
export function costMicros(value: number | null | undefined, field: string): number | null {
  if (value === undefined || value === null) return null;
  const micros = costToMicros(value);
  if (micros === undefined) {
    throw new BadUserInputError(`"${field}" must be a finite number from 0 to ${MAX_COST}, got ${value}`, field);
  }
  return micros;
}

/** metadata of a new entity: `{}` unless given. */
export function newMetadata(value: unknown): JsonObject {
  return value === undefined || value === null ? {} : jsonObject(value, "metadata");
}

/** metadata in an edit is never null: left out keeps it, an object replaces it, null is refused. */
export function metadataEdit(value: unknown): JsonObject | undefined {
  return value === undefined ? undefined : jsonObject(value, "metadata");
}

/** A non-null text field in an edit: left out keeps it, null or empty is refused. */
export function requiredTextEdit(value: string | null | undefined, field: string, max?: number): string | undefined {
  return value === undefined ? undefined : requiredText(value, field, max);
}
