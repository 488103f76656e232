// What the search indexes' triggers cost a create, in the scale phase on the 1M-case working
// copy: cases started through GraphQL with the indexes' insert triggers in place and without
// them, in interleaved rounds of the same process, so both see the same load. On SQLite those are
// the FTS5 trigram index's and the short-text index's; on PostgreSQL the short-text index's (its
// grams and their GIN), as pg_trgm's indexes are indexes of the table itself and stay. A
// lifecycle event changes no searched text and fires no trigger (the update triggers are on name
// and description only), so the phase's event figures carry no cost of the indexes.
//
// The rounds without the triggers leave their cases out of the indexes: the working copy is
// thrown away after the phase, and this runs after every read of it.
import type { DocumentNode } from "graphql";
import type { Database } from "../../src/db/database.js";
import { PgDatabase } from "../../src/db/postgres/pg-database.js";
import { SqliteDatabase } from "../../src/db/sqlite/sqlite-database.js";
import type { DashboardLatency, Run } from "./dashboard-scale.js";
import { percentile } from "./stats.js";

/** Turns the search indexes' insert triggers on Case on or off. */
type Toggle = (on: boolean) => Promise<void>;

function searchTriggers(db: Database): { toggle: Toggle; note: string } {
  if (db instanceof SqliteDatabase) {
    const names = ["Case_search_insert", "Case_short_search_insert"];
    const definitions = names.map(
      (name) => db.sql.get<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = ?`, [name])!.sql,
    );
    return {
      note: "the trigram and short-text indexes' insert triggers",
      toggle: async (on) => {
        for (const name of names) db.sql.exec(`DROP TRIGGER IF EXISTS "${name}"`);
        if (on) for (const definition of definitions) db.sql.exec(definition);
      },
    };
  }
  if (db instanceof PgDatabase) {
    return {
      note: "the short-text index's insert trigger",
      toggle: async (on) => {
        await db.pool.query(`ALTER TABLE "Case" ${on ? "ENABLE" : "DISABLE"} TRIGGER "Case_short_search_insert"`);
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
  const times = { with: [] as number[], without: [] as number[] };
  let n = 0;
  try {
    for (let round = 0; round < 6; round++) {
      const indexed = round % 2 === 0;
      await triggers.toggle(indexed);
      for (let i = 0; i < perRound; i++) {
        const { ms } = await run(startCase, { jobId, name: `timed case ${n++} of the create round ${round}` });
        if (round > 1) (indexed ? times.with : times.without).push(ms);
      }
    }
  } finally {
    await triggers.toggle(true);
  }
  const latency = (values: number[], note: string): DashboardLatency => ({
    p50_ms: percentile(values, 50),
    p99_ms: percentile(values, 99),
    max_ms: Math.max(...values),
    samples: values.length,
    note,
  });
  return {
    write_start_case_indexed: latency(times.with, `startCase, with ${triggers.note}`),
    write_start_case_unindexed: latency(times.without, "startCase, the same rounds without them"),
  };
}
