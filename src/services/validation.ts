// Rules for arguments that come from outside. Each failure names the offending field.
import { randomUUID } from "node:crypto";
import { costToMicros, MAX_COST } from "../domain/cost.js";
import type { JsonObject, JsonValue } from "../domain/entities.js";
import { BadUserInputError } from "../domain/errors.js";
import { type EntityStatus, isEntityStatus } from "../domain/lifecycle.js";
import { hasLoneSurrogate, hasVisibleCharacter, isStorableJson } from "../domain/storable-text.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
/**
 * Most items a list field without pages returns (Job.caseIds, Case.updates): the first ones in
 * list order, as many as the largest page holds. Their connections (Job.cases, Case.steps) page on.
 */
export const UNPAGINATED_LIST_CAP = 500;
const MAX_ID_LENGTH = 128;
const MAX_NAME_LENGTH = 1000;
/** Deepest nesting of arrays and objects in a JSON value; far below where any engine or parser fails. */
export const MAX_JSON_DEPTH = 100;
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
  const text = boundedText(value, field, max);
  if (!hasVisibleCharacter(text)) {
    throw new BadUserInputError(`"${field}" must have a visible character, not only blank or invisible ones`, field);
  }
  return text;
}

/** An idempotency key, if given: a key of no characters would be a key nobody meant to give. */
export function optionalKey(value: string | null | undefined, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (value.length === 0) throw new BadUserInputError(`"${field}" must not be empty; leave it out instead`, field);
  return boundedText(value, field, max);
}

/**
 * An id or filter value that names rows to read or change. A lone surrogate is no Unicode text:
 * each driver would send some other text in its place, which could name another row. A NUL is
 * text no row holds, so it names nothing, alike on every engine.
 */
export function lookupText<V extends string | null | undefined>(value: V, field: string): V {
  if (typeof value === "string" && hasLoneSurrogate(value)) {
    throw new BadUserInputError(`"${field}" contains a lone surrogate, which is not Unicode text`, field);
  }
  return value;
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
  // Checked first, without recursion: JSON.stringify would overflow the stack on a value nested a
  // few thousand levels deep, and that is valid JSON, only too deep to keep.
  if (nestedDeeperThan(value, MAX_JSON_DEPTH)) {
    throw new BadUserInputError(
      `"${field}" is nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`,
      field,
    );
  }
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

/** Whether arrays and objects nest more than `max` levels in `value` (a cycle nests forever). */
function nestedDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [item, depth] = pending.pop()!;
    if (typeof item !== "object" || item === null) continue;
    if (depth === max) return true;
    for (const child of Array.isArray(item) ? item : Object.values(item)) {
      if (typeof child === "object" && child !== null) pending.push([child, depth + 1]);
    }
  }
  return false;
}

export function statusList(
  statuses: readonly string[] | null | undefined,
  field = "status",
): EntityStatus[] | undefined {
  if (statuses === undefined || statuses === null) return undefined;
  // An empty list would match nothing, and some would read it as no filter at all: neither is
  // what a client that sends one means, so it says so.
  if (statuses.length === 0) {
    throw new BadUserInputError(`"${field}" must name at least one status; leave it out for every status`, field);
  }
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
