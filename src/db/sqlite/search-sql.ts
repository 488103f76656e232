// The `search` filter on SQLite: the text anywhere in the name (or the description), as LIKE
// '%text%' matches it (ASCII letters ignoring case, % and _ only themselves). A text of three
// characters or more is first looked up in the table's FTS5 trigram index (the migration
// "search_trigram_index"), whose phrase query finds every row holding the text's trigrams in a
// row: the rows LIKE matches and perhaps a few more, as the index folds the case of every letter,
// not only ASCII. The LIKE then keeps exactly today's matches among those few rows. A shorter text
// has no trigram to look up and is matched by LIKE alone, over the rows the rest of the filter
// leaves.
import type { EntityTable } from "../entity-tables.js";
import { containsPattern } from "../search-pattern.js";
import type { SqlPart } from "./list-sql.js";

/** Texts shorter than this (in characters) have no trigram, and so no index to look up. */
const TRIGRAM_LENGTH = 3;

/** The search index of an entity table, as the migration names it. */
function searchIndexOf(table: EntityTable): string {
  return `"${table.entityType}_search"`;
}

/** The condition of a search for `text` on `table`, on a row of that table read unaliased. */
export function searchSql(table: EntityTable, text: string): SqlPart {
  const pattern = containsPattern(text);
  const described = Object.hasOwn(table.columns, "description");
  const like = described
    ? `("name" LIKE ? ESCAPE '\\' OR "description" LIKE ? ESCAPE '\\')`
    : `"name" LIKE ? ESCAPE '\\'`;
  const likeParams = described ? [pattern, pattern] : [pattern];
  if ([...text].length < TRIGRAM_LENGTH) return { sql: like, params: likeParams };
  const index = searchIndexOf(table);
  return {
    sql: `rowid IN (SELECT rowid FROM ${index} WHERE ${index} MATCH ?) AND ${like}`,
    params: [phraseQuery(text), ...likeParams],
  };
}

/** An FTS5 phrase of the text taken literally: inside double quotes, a quote is doubled. */
function phraseQuery(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
