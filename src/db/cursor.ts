// Opaque cursors: base64url of a JSON tuple. Callers only ever hand back what they were given;
// anything else is refused as bad input rather than silently starting from the top. What a
// cursor may hold is the same on every engine, so that no engine fails on one the other takes.
import { BadUserInputError } from "../domain/errors.js";
import { isStorableText } from "../domain/storable-text.js";

export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts), "utf8").toString("base64url");
}

/** A position in an entity list: the createdAt and id of the last item seen. */
export interface EntityCursor {
  /** createdAt as the cursor holds it: SQLite compares this text with the stored text. */
  createdAt: string;
  /** The same instant: PostgreSQL compares timestamps. */
  at: Date;
  id: string;
}

// The instants both engines store and JavaScript writes in ISO 8601 with a four-digit year.
const FIRST_INSTANT = Date.parse("0001-01-01T00:00:00.000Z");
const LAST_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");

export function decodeEntityCursor(cursor: string, field = "after"): EntityCursor {
  const [createdAt, id] = decodeParts<[string, string]>(cursor, ["string", "string"], field);
  const time = Date.parse(createdAt);
  if (!(time >= FIRST_INSTANT && time <= LAST_INSTANT) || !isStorableText(id)) throw notACursor(field);
  return { createdAt, at: new Date(time), id };
}

/** A position in a transitions list: the id of the last transition seen. */
export function decodeTransitionCursor(cursor: string, field = "after"): number {
  const [id] = decodeParts<[number]>(cursor, ["number"], field);
  if (!Number.isSafeInteger(id)) throw notACursor(field);
  return id;
}

function decodeParts<T extends readonly (string | number)[]>(
  cursor: string,
  shape: readonly ("string" | "number")[],
  field: string,
): T {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parts = undefined;
  }
  const valid =
    Array.isArray(parts) && parts.length === shape.length && parts.every((part, i) => typeof part === shape[i]);
  if (!valid) throw notACursor(field);
  return parts as unknown as T;
}

function notACursor(field: string): BadUserInputError {
  return new BadUserInputError(`"${field}" is not a cursor from this list`, field);
}
