// Whether a search text of one or two characters is common in a table, from the statistics
// ANALYZE keeps of its short-text index (the expression casebook_search_grams("texts") of the
// index "<table>_short_search_grams_idx"): the grams most common in the arrays, with their
// frequencies. PostgreSQL's planner reads the same statistics, but for an element they do
// not list it assumes 0.5 % of the rows, and on a large table then prefers reading every row and
// sorting the few it keeps over looking them up in the index (a rare pair cost 200 ms on 1M
// cases). An element they do not list is rarer than each they do, so the list says enough: a
// common text walks the list's own order, which its matches fill at once, and a rare one is
// looked up in the index (pg-list-sql.ts). Statistics change when ANALYZE runs: they are read
// again at most once a minute per table.
import type { EntityTable } from "../entity-tables.js";
import { SHORT_SEARCH_SUFFIX, shortSearchIndexOf } from "../search-pattern.js";
import type { PgSession } from "./pg-session.js";

/** From this many rows holding the text on, its search walks the list's own order. */
const COMMON_ROWS = 2000;
const REFRESH_MS = 60_000;

/** Rows of the table holding each gram the statistics list (its frequency times the table's rows). */
type RowsHolding = Map<number, number>;

export class PgShortSearchStats {
  /** Per table, the statistics being read or read, and when that read began. */
  private readonly byTable = new Map<string, { startedAt: number; rowsHolding: Promise<RowsHolding> }>();

  constructor(
    private readonly session: PgSession,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether thousands of rows of `table` hold `text` (one or two characters), as far as ANALYZE saw. */
  async isCommon(table: EntityTable, text: string): Promise<boolean> {
    const rowsHolding = await this.statsOf(table);
    return (rowsHolding.get(gramCodeOf(text)) ?? 0) >= COMMON_ROWS;
  }

  /** The table's statistics, read again once a minute old; a failed read is not kept. */
  private statsOf(table: EntityTable): Promise<RowsHolding> {
    const cached = this.byTable.get(table.entityType);
    if (cached && this.now() - cached.startedAt < REFRESH_MS) return cached.rowsHolding;
    const rowsHolding = this.read(table);
    this.byTable.set(table.entityType, { startedAt: this.now(), rowsHolding });
    rowsHolding.catch(() => this.byTable.delete(table.entityType));
    return rowsHolding;
  }

  private async read(table: EntityTable): Promise<RowsHolding> {
    const { rows } = await this.session.query<{
      grams: number[] | null;
      frequencies: number[] | null;
      rows: number;
    }>(
      `SELECT s.most_common_elems::text::int4[] AS "grams", s.most_common_elem_freqs AS "frequencies",
              GREATEST(c.reltuples, 0)::float8 AS "rows"
       FROM pg_class c
       LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = $2
         AND s.attname = 'casebook_search_grams'
       WHERE c.oid = $1::regclass`,
      [shortSearchIndexOf(table), `${table.entityType}${SHORT_SEARCH_SUFFIX}_grams_idx`],
    );
    const { grams, frequencies, rows: tableRows } = rows[0] ?? { grams: null, frequencies: null, rows: 0 };
    const rowsHolding: RowsHolding = new Map();
    for (const [i, gram] of (grams ?? []).entries()) rowsHolding.set(gram, (frequencies?.[i] ?? 0) * tableRows);
    return rowsHolding;
  }
}

/**
 * The gram code the index holds for a text of one or two characters (casebook_search_gram_code
 * of the migration): lowercased, as lower() would.
 */
function gramCodeOf(text: string): number {
  const [first, second] = [...text.toLowerCase()].map((character) => character.codePointAt(0)!);
  if (second === undefined) return first!;
  return -1 - ((((first! & 0x7fff) << 16) | (second & 0xffff)) >>> 0);
}
