// The orders a list of missions, jobs or cases can be read in, the same on every engine: one
// column of the entity, ascending or descending, ties broken by id in the same direction. A
// cursor names its order (cursor.ts), so a position in one order is never read in another.
import type { EntityType } from "../domain/entities.js";

type OrderDirection = "ASC" | "DESC";

/** Columns a list may be ordered by; totalCostMicros only for cases. */
export type OrderColumn = "createdAt" | "updatedAt" | "finishedAt" | "name" | "totalCostMicros";

export interface ListOrder {
  readonly column: OrderColumn;
  readonly direction: OrderDirection;
}

/** The order of lists when none is asked for (the contract's): oldest first. */
export const DEFAULT_ORDER: ListOrder = { column: "createdAt", direction: "ASC" };

/** What an order column holds, which decides how its cursor keys are checked and compared. */
export type OrderColumnKind = "date" | "text" | "int";

export const ORDER_COLUMN_KIND: Readonly<Record<OrderColumn, OrderColumnKind>> = {
  createdAt: "date",
  updatedAt: "date",
  finishedAt: "date",
  name: "text",
  totalCostMicros: "int",
};

/**
 * finishedAt is null until an entity finishes. Nulls sort after every time: last in ASC, first
 * in DESC, as an entity that has not finished yet will finish after those that have.
 */
export const isNullable = (column: OrderColumn): boolean => column === "finishedAt";

export function orderAllowed(entityType: EntityType, column: OrderColumn): boolean {
  return column !== "totalCostMicros" || entityType === "Case";
}

/**
 * How a cursor names the order: the default's name is the one cursors carried before lists
 * could be ordered, so they stay valid.
 */
export function orderName(order: ListOrder): string {
  return `${order.column}${order.direction === "DESC" ? " desc" : ""},id`;
}

/** Whether rows are read in descending key order: a DESC list read forward, or an ASC one read backward. */
export function readsDescending(order: ListOrder, backward: boolean): boolean {
  return (order.direction === "DESC") !== backward;
}

/**
 * Whether a page of only `columns` must also read its order's column: a cursor holds it, and
 * src/graphql/selected-columns.ts asks for `createdAt` exactly when a cursor is selected. Without
 * a cursor the column is not read (on PostgreSQL every timestamp read is a Date parsed).
 */
export function cursorWanted(columns: readonly string[], order: ListOrder): boolean {
  return columns.includes("createdAt") && !columns.includes(order.column);
}
