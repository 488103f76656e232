// What a substring search looks for, the same on every engine: the LIKE pattern (the text
// anywhere, its own % _ and \ matching only themselves; each engine's statement says
// ESCAPE '\'), and which index can narrow the rows down before the pattern decides.
import type { EntityTable } from "./entity-tables.js";

export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, "\\$&")}%`;
}

/** Texts shorter than this (in characters) have no trigram: the short-text index serves them. */
const TRIGRAM_LENGTH = 3;

/** Whether `text` is looked up in the short-text index (characters and pairs) rather than by trigrams. */
export function isShortText(text: string): boolean {
  return [...text].length < TRIGRAM_LENGTH;
}

/**
 * Rows of a list's own order that a page of a search for a common text reads at most, before it
 * takes its matches from the index instead (a text whose matches all sort late fills no page
 * from the walk), on both engines.
 */
export const SEARCH_WALK_ROWS = 2000;

/** How the migration "short_text_search" names an entity table's short-text index (after the table). */
export const SHORT_SEARCH_SUFFIX = "_short_search";

/** The short-text index of an entity table, quoted. */
export function shortSearchIndexOf(table: EntityTable): string {
  return `"${table.entityType}${SHORT_SEARCH_SUFFIX}"`;
}
