// What the search indexes' triggers cost a create, in the scale phase on the 1M-case working
// copy: cases started through GraphQL with every index's insert trigger in place, without the
// short-text index's, and (SQLite) without any, in interleaved rounds of the same process, so all
// see the same load. On SQLite the triggers are the FTS5 trigram index's and the short-text
// index's; on PostgreSQL the short-text index's (its grams and their GIN), as pg_trgm's indexes
// are indexes of the table itself and stay. A lifecycle event changes no searched text and fires
// no trigger (the update triggers are on name and description only), so the phase's event
// figures carry no cost of the indexes.
//
// The rounds without a trigger leave their cases out of its index: the working copy is thrown
// away after the phase, and this runs after every read of it.
import type { DocumentNode } from "graphql";
import type { Database } from "../../src/db/database.js";
import { PgDatabase } from "../../src/db/postgres/pg-database.js";
import { SqliteDatabase } from "../../src/db/sqlite/sqlite-database.js";
import type { DashboardLatency, Run } from "./dashboard-scale.js";
import { percentile } from "./stats.js";

const TRIGRAM = "Case_search_insert";
const SHORT_TEXT = "Case_short_search_insert";

/** The insert triggers of search on Case that the engine has, and how to keep only some of them. */
function searchTriggers(db: Database): { names: string[]; keep: (names: string[]) => Promise<void> } {
  if (db instanceof SqliteDatabase) {
    const names = [TRIGRAM, SHORT_TEXT];
    const definitions = new Map(
      names.map((name) => [
        name,
        db.sql.get<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = ?`, [name])!.sql,
      ]),
    );
    return {
      names,
      keep: async (kept) => {
        for (const name of names) db.sql.exec(`DROP TRIGGER IF EXISTS "${name}"`);
        for (const name of kept) db.sql.exec(definitions.get(name)!);
      },
    };
  }
  if (db instanceof PgDatabase) {
    return {
      names: [SHORT_TEXT],
      keep: async (kept) => {
        const on = kept.includes(SHORT_TEXT);
        await db.pool.query(`ALTER TABLE "Case" ${on ? "ENABLE" : "DISABLE"} TRIGGER "${SHORT_TEXT}"`);
      },
    };
  }
  throw new Error("an engine the benchmark does not know");
}

export async function caseCreateCost(
  run: Run,
  prepared: (source: string) => DocumentNode,
  db: Database,
  perRound: number,
): Promise<Record<string, DashboardLatency>> {
  const createJob = prepared(`mutation { createJob(input: { name: "create cost", agentName: "bench" }) { id } }`);
  const startWork = prepared(`mutation Start($id: ID!) { handleJobEvent(id: $id, event: START_WORK) { id } }`);
  const startCase = prepared(`mutation StartCase($jobId: ID!, $name: String!) {
    startCase(input: { jobId: $jobId, name: $name, description: "a case started to time its insert" }) { id }
  }`);
  const jobId = ((await run(createJob, {})).data.createJob as { id: string }).id;
  await run(startWork, { id: jobId });

  const triggers = searchTriggers(db);
  const variants = [
    { key: "write_start_case_indexed", kept: triggers.names, note: `with ${triggers.names.join(" and ")}` },
    {
      key: "write_start_case_without_short_text_index",
      kept: triggers.names.filter((name) => name !== SHORT_TEXT),
      note: `without ${SHORT_TEXT}`,
    },
    ...(triggers.names.length > 1 ? [{ key: "write_start_case_unindexed", kept: [], note: "without either" }] : []),
  ];
  const times = variants.map(() => [] as number[]);
  let n = 0;
  try {
    for (let round = 0; round < 3 * variants.length; round++) {
      const v = round % variants.length;
      await triggers.keep(variants[v]!.kept);
      for (let i = 0; i < perRound; i++) {
        const { ms } = await run(startCase, { jobId, name: `timed case ${n++} of the create round ${round}` });
        // The first round of each is a warm-up.
        if (round >= variants.length) times[v]!.push(ms);
      }
    }
  } finally {
    await triggers.keep(triggers.names);
  }
  const results: Record<string, DashboardLatency> = {};
  variants.forEach((variant, v) => {
    results[variant.key] = {
      p50_ms: percentile(times[v]!, 50),
      p99_ms: percentile(times[v]!, 99),
      max_ms: Math.max(...times[v]!),
      samples: times[v]!.length,
      note: `startCase, ${variant.note}`,
    };
  });
  return results;
}
