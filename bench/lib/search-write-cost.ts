// What the search index's triggers cost a create on SQLite, in the scale phase on the 1M-case
// working copy: cases started through GraphQL with the index's insert trigger in place and
// without it, in interleaved rounds of the same process, so both see the same load. A lifecycle
// event changes no searched text and fires no trigger (the update triggers are on name and
// description only), so the phase's event figures carry no cost of the index.
//
// The rounds without the trigger leave their cases out of the index: the working copy is thrown
// away after the phase, and this runs after every read of it.
import type { DocumentNode } from "graphql";
import type { DashboardLatency, Run } from "./dashboard-scale.js";
import { percentile } from "./stats.js";

const CASE_INSERT_TRIGGER = `CREATE TRIGGER "Case_search_insert" AFTER INSERT ON "Case" BEGIN
  INSERT INTO "Case_search" ("rowid", "name", "description") VALUES (new."rowid", new."name", new."description");
END`;

export async function caseCreateCost(
  run: Run,
  prepared: (source: string) => DocumentNode,
  exec: (sql: string) => void,
  perRound: number,
): Promise<Record<string, DashboardLatency>> {
  const createJob = prepared(`mutation { createJob(input: { name: "create cost", agentName: "bench" }) { id } }`);
  const startWork = prepared(`mutation Start($id: ID!) { handleJobEvent(id: $id, event: START_WORK) { id } }`);
  const startCase = prepared(`mutation StartCase($jobId: ID!, $name: String!) {
    startCase(input: { jobId: $jobId, name: $name, description: "a case started to time its insert" }) { id }
  }`);
  const jobId = ((await run(createJob, {})).data.createJob as { id: string }).id;
  await run(startWork, { id: jobId });

  const times = { with: [] as number[], without: [] as number[] };
  let n = 0;
  for (let round = 0; round < 6; round++) {
    const indexed = round % 2 === 0;
    exec(`DROP TRIGGER IF EXISTS "Case_search_insert"`);
    if (indexed) exec(CASE_INSERT_TRIGGER);
    for (let i = 0; i < perRound; i++) {
      const { ms } = await run(startCase, { jobId, name: `timed case ${n++} of the create round ${round}` });
      if (round > 1) (indexed ? times.with : times.without).push(ms);
    }
  }
  exec(`DROP TRIGGER IF EXISTS "Case_search_insert"`);
  exec(CASE_INSERT_TRIGGER);
  const latency = (values: number[], note: string): DashboardLatency => ({
    p50_ms: percentile(values, 50),
    p99_ms: percentile(values, 99),
    max_ms: Math.max(...values),
    samples: values.length,
    note,
  });
  return {
    write_start_case_indexed: latency(times.with, "startCase, with the search index's insert trigger"),
    write_start_case_unindexed: latency(times.without, "startCase, the same rounds without it"),
  };
}
