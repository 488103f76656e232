// The `search` filter on SQLite: the text anywhere in the name (or the description), as LIKE
// '%text%' matches it (ASCII letters ignoring case, % and _ only themselves). The rows that may
// match are first looked up in an FTS5 index: the trigram index (migration
// "search_trigram_index") for a text of three characters or more, whose phrase query finds the
// rows holding the text's trigrams in a row; the short-text index (migration
// "short_text_search") for one or two, which holds each character and each pair of neighbours.
// Both fold the case of every letter, not only ASCII, so they find the rows LIKE matches and
// perhaps a few more; the LIKE then keeps exactly its own matches among those.
//
// An index helps when it names few rows. When it names thousands (a common pair such as "se",
// or "Case" in names that all start with it), reading them all and sorting them costs more than
// walking the list in its own order until the page is full, which such a text usually fills at
// once. SQLite's planner cannot tell the two apart (it knows nothing of an FTS5 query's
// matches), so a search first counts the index's matches up to MANY_MATCHES (searchWay) and then
// chooses; a page of a list also bounds its walk (list-sql.ts, listStatements).
import type { EntityTable } from "../entity-tables.js";
import { containsPattern, isShortText, shortSearchIndexOf } from "../search-pattern.js";
import type { SqlPart } from "./list-sql.js";
import type { SqlDatabase } from "./sql-database.js";

/** From this many matches in the index on, the list's own order is walked instead. */
const MANY_MATCHES = 20_000;

/** How a search reads its rows: through its index, or by scanning what the rest of the statement reads. */
export type SearchWay = "index" | "scan";

/** The trigram index of an entity table, as the migration "search_trigram_index" names it. */
function searchIndexOf(table: EntityTable): string {
  return `"${table.entityType}_search"`;
}

/** "scan" when the text's index names MANY_MATCHES rows or more, else "index". */
export function searchWay(db: SqlDatabase, table: EntityTable, text: string): SearchWay {
  const { index, query } = indexQuery(table, text);
  const matches = db.get<{ n: number }>(
    `SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${index} WHERE ${index} MATCH ? LIMIT ${MANY_MATCHES})`,
    [query],
  );
  return (matches?.n ?? 0) >= MANY_MATCHES ? "scan" : "index";
}

/** The condition of a search for `text` on `table`, on a row of that table read unaliased. */
export function searchSql(table: EntityTable, text: string, way: SearchWay): SqlPart {
  const pattern = containsPattern(text);
  const described = Object.hasOwn(table.columns, "description");
  const like = described
    ? `("name" LIKE ? ESCAPE '\\' OR "description" LIKE ? ESCAPE '\\')`
    : `"name" LIKE ? ESCAPE '\\'`;
  const likeParams = described ? [pattern, pattern] : [pattern];
  if (way === "scan") return { sql: like, params: likeParams };
  const { index, query } = indexQuery(table, text);
  return {
    sql: `rowid IN (SELECT rowid FROM ${index} WHERE ${index} MATCH ?) AND ${like}`,
    params: [query, ...likeParams],
  };
}

/**
 * The rows of `table` the index names for `text`, as a table to join (its column "match" is the
 * entity's rowid): a page read through the index runs from the index's cursor straight to the
 * entity's rows, where `rowid IN (…)` would first gather every match into a table of its own
 * (a quarter of the time of a page of 100,000 matches).
 */
export function searchMatchesSql(table: EntityTable, text: string): SqlPart {
  const { index, query } = indexQuery(table, text);
  return { sql: `(SELECT rowid AS "match" FROM ${index} WHERE ${index} MATCH ?) AS "matches"`, params: [query] };
}

/** The index that serves a search for `text`, and its FTS5 query. */
function indexQuery(table: EntityTable, text: string): { index: string; query: string } {
  return isShortText(text)
    ? { index: shortSearchIndexOf(table), query: shortTextQuery(text) }
    : { index: searchIndexOf(table), query: phraseQuery(text) };
}

/** An FTS5 phrase of the text taken literally: inside double quotes, a quote is doubled. */
function phraseQuery(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

// The short-text index holds texts spaced out by U+001F: a character c is the trigram
// "\x1fc\x1f", a pair ab the trigram "a\x1fb".
const SPACER = "\u001f";

/** The one trigram of the short-text index that a text of one or two characters is. */
function shortTextQuery(text: string): string {
  const [first, second] = [...text];
  return phraseQuery(second === undefined ? `${SPACER}${first}${SPACER}` : `${first}${SPACER}${second}`);
}
