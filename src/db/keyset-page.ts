// One page of a keyset-paginated list. Cursors are encoded only when someone reads them: most
// reads (a detail view, the lists nested in it) never ask for one, and encoding them (JSON, then
// base64url) is work such a read would pay for nothing (BENCHMARKS.md).
import type { Page } from "../domain/entities.js";
import { type CursorList, encodeCursor } from "./cursor.js";

/** What a cursor holds: the values of the list's order columns for one item. */
export type CursorKey = readonly (string | number | null)[];

export class KeysetPage<T> implements Page<T> {
  // Private fields: a page equals another by its items and hasNextPage, whether or not its
  // cursors were read, and however its keys are computed.
  #encoded: string[] | undefined;
  readonly #keys: readonly CursorKey[] | (() => readonly CursorKey[]);
  readonly #list: CursorList;

  /**
   * `list` is what the cursors say they belong to (cursor.ts). `keys` may be a function, for an
   * engine whose keys cost something to compute (PostgreSQL's dates).
   */
  constructor(
    readonly items: T[],
    readonly hasNextPage: boolean,
    list: CursorList,
    keys: readonly CursorKey[] | (() => readonly CursorKey[]),
    readonly hasPreviousPage = false,
  ) {
    this.#list = list;
    this.#keys = keys;
  }

  get cursors(): string[] {
    this.#encoded ??= (typeof this.#keys === "function" ? this.#keys() : this.#keys).map((key) =>
      encodeCursor(this.#list, key),
    );
    return this.#encoded;
  }
}
