// The scale phase's dashboard measurements (README, "Queries for dashboards"), in the casebook
// process of bench/inprocess.ts on the 1M-case file: p50/p99 of each of the five dashboard
// queries, deep keyset pages both ways in another order than the default, the cost and status
// counts of a mission's and a job's cases (with and without the jobs' counts), and search over
// every case's name (texts long enough for the trigram index, and texts of one or two characters).
import type { DocumentNode } from "graphql";
import type { SeedIds } from "./seed-data.js";
import { percentile } from "./stats.js";

/** Executes a document in the casebook process: its wall time, its data and the SQL statements it sent. */
export type Run = (
  document: DocumentNode,
  variables: Record<string, unknown>,
) => Promise<{ ms: number; data: Record<string, unknown>; statements: number }>;

export interface DashboardLatency {
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  samples: number;
  /** SQL statements of one execution (the most of any sample): constant in the data's size. */
  statements?: number;
  /** What the query covered: pages deep, cases counted, matches found. */
  note: string;
}

interface Page {
  edges: { node: { id: string } }[];
  totalCount?: number;
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export async function dashboardLatencies(
  run: Run,
  prepared: (source: string) => DocumentNode,
  seed: SeedIds,
  samples: number,
): Promise<Record<string, DashboardLatency>> {
  const runningJobs = prepared(`query RunningJobsNewestFirst($after: String) {
    jobs(running: true, orderBy: { field: CREATED_AT, direction: DESC }, first: 20, after: $after) {
      edges { node { id name agentName status createdAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`);
  const runningJobsCounted = prepared(`query RunningJobsCounted {
    jobs(running: true, orderBy: { field: CREATED_AT, direction: DESC }, first: 20) {
      totalCount statusCounts { status count }
      edges { node { id name agentName status createdAt } }
    }
  }`);
  const missionTotals = prepared(`query MissionCostAndCounts($id: ID!) {
    mission(id: $id) { id name status totalCost caseStatusCounts { status count }
      jobs { totalCount statusCounts { status count } } }
  }`);
  const missionCaseTotals = prepared(`query MissionCaseTotals($id: ID!) {
    mission(id: $id) { id totalCost caseStatusCounts { status count } }
  }`);
  const missionCasesCounted = prepared(`query MissionCasesCounted($id: ID!) {
    cases(missionId: $id, orderBy: { field: CREATED_AT, direction: DESC }, first: 20) {
      totalCount statusCounts { status count } edges { node { id name status } }
    }
  }`);
  const jobTotals = prepared(`query JobCostAndCounts($id: ID!) {
    job(id: $id) { id totalCost caseStatusCounts { status count } }
  }`);
  const failedCases = prepared(`query FailedCasesOfJob($jobId: ID!, $from: DateTime!, $to: DateTime!) {
    cases(jobId: $jobId, status: [FAILED], finishedAt: { from: $from, to: $to },
          orderBy: { field: FINISHED_AT, direction: DESC }, first: 50) {
      edges { node { id name error finishedAt totalCost } }
    }
  }`);
  const searchCases = prepared(`query SearchCases($text: String!) {
    cases(search: $text, orderBy: { field: NAME }, first: 20) { edges { node { id name status } } }
  }`);
  const searchCasesCounted = prepared(`query SearchCasesCounted($text: String!) {
    cases(search: $text, orderBy: { field: NAME }, first: 20) {
      totalCount statusCounts { status count } edges { node { id name status } }
    }
  }`);
  const latestTransitions = prepared(`query LatestTransitions($ids: [ID!]!) {
    jobs(ids: $ids, first: 500) { edges { node { id status
      transitions(first: 1, orderBy: { direction: DESC }) { edges { node { event fromStatus toStatus at actor } } } } } }
  }`);
  const jobsByName = prepared(`query JobsByName($first: Int, $last: Int, $after: String, $before: String) {
    jobs(orderBy: { field: NAME, direction: ASC }, first: $first, last: $last, after: $after, before: $before) {
      edges { node { id name status } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`);
  const missionOfBigJob = prepared(`query BigJob($id: ID!) { job(id: $id) { missionId } }`);

  const results: Record<string, DashboardLatency> = {};
  // Every execution of a measurement goes through `timed`, which keeps its statement count.
  let statements = 0;
  const timed: Run = async (document, variables) => {
    const result = await run(document, variables);
    statements = Math.max(statements, result.statements);
    return result;
  };
  const measure = async (name: string, note: string, once: (i: number) => Promise<number>) => {
    for (let i = 0; i < Math.min(20, samples); i++) await once(i); // warm-up
    statements = 0;
    const times: number[] = [];
    for (let i = 0; i < samples; i++) times.push(await once(i));
    results[name] = {
      p50_ms: percentile(times, 50),
      p99_ms: percentile(times, 99),
      max_ms: Math.max(...times),
      samples: times.length,
      statements,
      note,
    };
  };

  // 1. Running jobs newest first: pages from the top down to 50 deep, again and again.
  let after: string | null = null;
  let depth = 0;
  await measure("dashboard_running_jobs_newest_first", "pages of 20, walked down to 50 deep", async () => {
    const { ms, data } = await timed(runningJobs, { after });
    const jobs = data.jobs as Page;
    depth = jobs.pageInfo.hasNextPage && depth < 49 ? depth + 1 : 0;
    after = depth === 0 ? null : jobs.pageInfo.endCursor;
    return ms;
  });
  await measure("dashboard_running_jobs_with_counts", "first page with totalCount and statusCounts", async () => {
    return (await timed(runningJobsCounted, {})).ms;
  });

  // 2. A mission's cost and counts: the mission of exactly 10,000 cases (seed-data.ts), and the
  // one holding the big jobs (about 50,000 on 1M cases).
  const casesOf = async (missionId: string) => {
    const probe = (await run(missionTotals, { id: missionId })).data.mission as {
      caseStatusCounts: { count: number }[];
    };
    return probe.caseStatusCounts.reduce((sum, c) => sum + c.count, 0);
  };
  const bigJob = seed.bigJobIds[0]!;
  const bigMissionId = ((await run(missionOfBigJob, { id: bigJob })).data.job as { missionId: string }).missionId;
  const missions = [
    ...(seed.aggregateMissionId ? [{ id: seed.aggregateMissionId, suffix: "" }] : []),
    { id: bigMissionId, suffix: "_big_jobs" },
  ];
  for (const { id, suffix } of missions) {
    const missionCases = await casesOf(id);
    await measure(`dashboard_mission_cost_and_counts${suffix}`, `${missionCases} cases under the mission`, async () => {
      return (await timed(missionTotals, { id })).ms;
    });
    await measure(
      `dashboard_mission_case_totals${suffix}`,
      `totalCost and caseStatusCounts alone, ${missionCases} cases`,
      async () => {
        return (await timed(missionCaseTotals, { id })).ms;
      },
    );
    await measure(
      `dashboard_mission_cases_status_counts${suffix}`,
      `cases(missionId) first page with totalCount and statusCounts, ${missionCases} cases`,
      async () => {
        return (await timed(missionCasesCounted, { id })).ms;
      },
    );
  }
  const jobProbe = (await run(jobTotals, { id: bigJob })).data.job as { caseStatusCounts: { count: number }[] };
  const jobCases = jobProbe.caseStatusCounts.reduce((sum, c) => sum + c.count, 0);
  await measure("dashboard_job_cost_and_counts", `${jobCases} cases under the job`, async (i) => {
    return (await timed(jobTotals, { id: seed.bigJobIds[i % seed.bigJobIds.length] })).ms;
  });

  // 3. The cases of a job that failed, latest first, over the whole seeded time span.
  const span = { from: "2000-01-01T00:00:00.000Z", to: "2100-01-01T00:00:00.000Z" };
  await measure("dashboard_failed_cases_of_job", "a job with thousands of cases", async (i) => {
    return (await timed(failedCases, { jobId: seed.bigJobIds[i % seed.bigJobIds.length], ...span })).ms;
  });

  // 4. Search by name: texts that match a few hundred, a hundred and about ten names.
  const texts = ["ase 4242", "Case 77777", "case 31337", "CASE 9090", "se 123456"];
  let found = 0;
  await measure("dashboard_search_case_names", `texts like "${texts[0]}"`, async (i) => {
    const { ms, data } = await timed(searchCases, { text: texts[i % texts.length] });
    found = Math.max(found, (data.cases as Page).edges.length);
    return ms;
  });
  results.dashboard_search_case_names!.note += `, up to ${found} matches on a page of 20`;
  // Texts in a tenth or a hundredth of the names, whose matches sort late by name (every name
  // reads "Case <n>": "Case 9…" comes after "Case 0…" to "Case 8…"), and one in every name.
  const commonTexts = ["Case 9", "ase 99", "se 5", "e 77", "Case"];
  await measure("dashboard_search_common_texts", `texts like "${commonTexts.join('", "')}"`, async (i) => {
    return (await timed(searchCases, { text: commonTexts[i % commonTexts.length] })).ms;
  });
  // A search with the counts a list shows above its rows: every match counted.
  const countedTexts = ["ase 4242", "ase 99", "e4", "77", "Case 9"];
  await measure(
    "dashboard_search_with_counts",
    `texts like "${countedTexts.join('", "')}" (hundreds, 11,111, none, about 50,000 and 111,111 matches), with totalCount and statusCounts`,
    async (i) => (await timed(searchCasesCounted, { text: countedTexts[i % countedTexts.length] })).ms,
  );
  // Texts of one or two characters have no trigram: the short-text index, or the name index
  // walked to 20 matches when the text is common. Common ("se", "42", "7") and rare or absent
  // ("e4", "q": a whole walk without the index).
  const shortTexts = ["42", "se", "77", "e4", "q", "7"];
  await measure("dashboard_search_short_texts", `texts like "${shortTexts.join('", "')}"`, async (i) => {
    return (await timed(searchCases, { text: shortTexts[i % shortTexts.length] })).ms;
  });

  // 5. The latest transition of each of 50 jobs.
  await measure("dashboard_latest_transitions_50_jobs", "50 jobs by ids", async (i) => {
    const start = (i * 50) % Math.max(1, seed.sampleJobIds.length - 50);
    return (await timed(latestTransitions, { ids: seed.sampleJobIds.slice(start, start + 50) })).ms;
  });

  // Deep keyset pages by name, forward from the first and backward from the last.
  for (const [name, forward] of [
    ["dashboard_jobs_by_name_forward", true],
    ["dashboard_jobs_by_name_backward", false],
  ] as const) {
    let cursor: string | null = null;
    let pages = 0;
    let deepest = 0;
    await measure(name, "", async () => {
      const variables = forward ? { first: 50, after: cursor } : { last: 50, before: cursor };
      const { ms, data } = await timed(jobsByName, variables);
      const jobs = data.jobs as Page;
      const more = forward ? jobs.pageInfo.hasNextPage : jobs.pageInfo.hasPreviousPage;
      pages = more && pages < 399 ? pages + 1 : 0;
      deepest = Math.max(deepest, pages + 1);
      cursor = pages === 0 ? null : forward ? jobs.pageInfo.endCursor : jobs.pageInfo.startCursor;
      return ms;
    });
    results[name]!.note = `pages of 50 by name, down to ${deepest} deep`;
  }
  return results;
}
