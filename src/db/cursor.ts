// Opaque cursors: base64url of a JSON tuple of the list, its order and the keys of one item.
// Callers only ever hand back what they were given; anything else is refused as bad input rather
// than silently starting from the top, and so is a cursor of another list (a position among
// cases means nothing among jobs) or of another order. What a cursor may hold is the same on
// every engine, so that no engine fails on one the other takes.
import type { EntityType } from "../domain/entities.js";
import { BadUserInputError } from "../domain/errors.js";
import { isStorableText } from "../domain/storable-text.js";

/** The list a cursor belongs to and the order it walks: what its keys are positions in. */
export interface CursorList {
  readonly name: string;
  readonly order: string;
}

const ENTITY_LISTS: Record<EntityType, CursorList> = {
  Mission: { name: "Mission", order: "createdAt,id" },
  Job: { name: "Job", order: "createdAt,id" },
  Case: { name: "Case", order: "createdAt,id" },
};

const TRANSITION_LISTS: Record<EntityType, CursorList> = {
  Mission: { name: "Mission.transitions", order: "id" },
  Job: { name: "Job.transitions", order: "id" },
  Case: { name: "Case.transitions", order: "id" },
};

/** A case's steps, in order. */
export const STEP_LIST: CursorList = { name: "Case.updates", order: "index" };

/** Missions, jobs or cases by createdAt, then id: top-level lists and lists of children alike. */
export function entityList(entityType: EntityType): CursorList {
  return ENTITY_LISTS[entityType];
}

/** An entity's transitions, oldest first. */
export function transitionList(entityType: EntityType): CursorList {
  return TRANSITION_LISTS[entityType];
}

export function encodeCursor(list: CursorList, key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify([list.name, list.order, ...key]), "utf8").toString("base64url");
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

export function decodeEntityCursor(cursor: string, entityType: EntityType, field = "after"): EntityCursor {
  const [createdAt, id] = decodeParts<[string, string]>(cursor, entityList(entityType), ["string", "string"], field);
  const time = Date.parse(createdAt);
  if (!(time >= FIRST_INSTANT && time <= LAST_INSTANT) || !isStorableText(id)) throw notACursor(field);
  return { createdAt, at: new Date(time), id };
}

/** A position in a transitions list: the id of the last transition seen. */
export function decodeTransitionCursor(cursor: string, entityType: EntityType, field = "after"): number {
  const [id] = decodeParts<[number]>(cursor, transitionList(entityType), ["number"], field);
  if (!Number.isSafeInteger(id)) throw notACursor(field);
  return id;
}

/** A position among a case's steps: the index of the last step seen. */
export function decodeStepCursor(cursor: string, field = "after"): number {
  const [index] = decodeParts<[number]>(cursor, STEP_LIST, ["number"], field);
  if (!Number.isSafeInteger(index) || index < 0) throw notACursor(field);
  return index;
}

/** The keys of a cursor of `list`, each of the type `shape` gives. */
function decodeParts<T extends readonly (string | number)[]>(
  cursor: string,
  list: CursorList,
  shape: readonly ("string" | "number")[],
  field: string,
): T {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parts = undefined;
  }
  if (!Array.isArray(parts) || typeof parts[0] !== "string" || typeof parts[1] !== "string") throw notACursor(field);
  if (parts[0] !== list.name || parts[1] !== list.order) {
    throw new BadUserInputError(
      `"${field}" is a cursor of another list (${String(parts[0])} by ${String(parts[1])}), not of ${list.name} by ${list.order}`,
      field,
    );
  }
  const keys = parts.slice(2);
  if (keys.length !== shape.length || !keys.every((part, i) => typeof part === shape[i])) throw notACursor(field);
  return keys as unknown as T;
}

function notACursor(field: string): BadUserInputError {
  return new BadUserInputError(`"${field}" is not a cursor from this list`, field);
}

/** The change feed, in commit order. */
const CHANGE_LIST: CursorList = { name: "changes", order: "seq" };

export function encodeChangeCursor(seq: number): string {
  return encodeCursor(CHANGE_LIST, [seq]);
}

/** A position in the change feed: the seq of the last change seen (0 before the first). */
export function decodeChangeCursor(cursor: string, field = "after"): number {
  const [seq] = decodeParts<[number]>(cursor, CHANGE_LIST, ["number"], field);
  if (!Number.isSafeInteger(seq) || seq < 0) throw notACursor(field);
  return seq;
}
