// Opaque cursors: base64url of a JSON tuple of the list, its order and the keys of one item.
// Callers only ever hand back what they were given; anything else is refused as bad input rather
// than silently starting from the top, and so is a cursor of another list (a position among
// cases means nothing among jobs) or of another order. What a cursor may hold is the same on
// every engine, so that no engine fails on one the other takes.
import type { EntityType } from "../domain/entities.js";
import { BadUserInputError } from "../domain/errors.js";
import { isStorableText } from "../domain/storable-text.js";
import { DEFAULT_ORDER, isNullable, type ListOrder, ORDER_COLUMN_KIND, orderName } from "./list-order.js";

/** The list a cursor belongs to and the order it walks: what its keys are positions in. */
export interface CursorList {
  readonly name: string;
  readonly order: string;
}

const TRANSITION_LISTS: Record<EntityType, CursorList> = {
  Mission: { name: "Mission.transitions", order: "id" },
  Job: { name: "Job.transitions", order: "id" },
  Case: { name: "Case.transitions", order: "id" },
};

const NEWEST_TRANSITIONS_FIRST: Record<EntityType, CursorList> = {
  Mission: { name: "Mission.transitions", order: "id desc" },
  Job: { name: "Job.transitions", order: "id desc" },
  Case: { name: "Case.transitions", order: "id desc" },
};

/** A case's steps, in order. */
export const STEP_LIST: CursorList = { name: "Case.updates", order: "index" };

/** Missions, jobs or cases in `order`, then id: top-level lists and lists of children alike. */
export function entityList(entityType: EntityType, order: ListOrder = DEFAULT_ORDER): CursorList {
  return { name: entityType, order: orderName(order) };
}

/** An entity's transitions, oldest first, or newest first with `newestFirst`. */
export function transitionList(entityType: EntityType, newestFirst = false): CursorList {
  return (newestFirst ? NEWEST_TRANSITIONS_FIRST : TRANSITION_LISTS)[entityType];
}

export function encodeCursor(list: CursorList, key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify([list.name, list.order, ...key]), "utf8").toString("base64url");
}

/** A position in an entity list: the value of the order's column and the id of an item. */
export interface EntityCursor {
  /**
   * The column's value as the cursor holds it (SQLite compares a time as the stored text); null
   * for an item whose finishedAt is null.
   */
  key: string | number | null;
  /** A time key as an instant: PostgreSQL compares timestamps. */
  at?: Date;
  id: string;
}

// The instants both engines store and JavaScript writes in ISO 8601 with a four-digit year.
const FIRST_INSTANT = Date.parse("0001-01-01T00:00:00.000Z");
const LAST_INSTANT = Date.parse("9999-12-31T23:59:59.999Z");

export function decodeEntityCursor(
  cursor: string,
  entityType: EntityType,
  field = "after",
  order: ListOrder = DEFAULT_ORDER,
): EntityCursor {
  const kind = ORDER_COLUMN_KIND[order.column];
  const keyShape = kind === "int" ? "number" : "string";
  const shape = isNullable(order.column) ? ([[keyShape, "null"], "string"] as const) : ([keyShape, "string"] as const);
  const [key, id] = decodeParts<[string | number | null, string]>(cursor, entityList(entityType, order), shape, field);
  if (!isStorableText(id)) throw notACursor(field);
  if (key === null) return { key, id };
  if (kind === "int" && !Number.isSafeInteger(key)) throw notACursor(field);
  if (kind === "text" && !isStorableText(key as string)) throw notACursor(field);
  if (kind !== "date") return { key, id };
  const time = Date.parse(key as string);
  if (!(time >= FIRST_INSTANT && time <= LAST_INSTANT)) throw notACursor(field);
  return { key, at: new Date(time), id };
}

/** A position in a transitions list: the id of a transition. */
export function decodeTransitionCursor(
  cursor: string,
  entityType: EntityType,
  field = "after",
  newestFirst = false,
): number {
  const [id] = decodeParts<[number]>(cursor, transitionList(entityType, newestFirst), ["number"], field);
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
function decodeParts<T extends readonly (string | number | null)[]>(
  cursor: string,
  list: CursorList,
  shape: readonly (KeyType | readonly KeyType[])[],
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
  if (
    keys.length !== shape.length ||
    !keys.every((part, i) => ([shape[i]].flat() as string[]).includes(typeOf(part)))
  ) {
    throw notACursor(field);
  }
  return keys as unknown as T;
}

type KeyType = "string" | "number" | "null";

function typeOf(value: unknown): string {
  return value === null ? "null" : typeof value;
}

function notACursor(field: string): BadUserInputError {
  return new BadUserInputError(`"${field}" is not a cursor from this list`, field);
}

/** The change feed, in commit order (what the subscription and latestChangeCursor speak), or newest first. */
const CHANGE_LIST: CursorList = { name: "changes", order: "seq" };
const NEWEST_CHANGES_FIRST: CursorList = { name: "changes", order: "seq desc" };

export function encodeChangeCursor(seq: number, newestFirst = false): string {
  return encodeCursor(newestFirst ? NEWEST_CHANGES_FIRST : CHANGE_LIST, [seq]);
}

/** A position in the change feed: the seq of the last change seen (0 before the first). */
export function decodeChangeCursor(cursor: string, field = "after", newestFirst = false): number {
  const [seq] = decodeParts<[number]>(cursor, newestFirst ? NEWEST_CHANGES_FIRST : CHANGE_LIST, ["number"], field);
  if (!Number.isSafeInteger(seq) || seq < 0) throw notACursor(field);
  return seq;
}
