// Every order × filter combination of the README's "Queries for dashboards" (the same list as the
// plan test, test/services/list-plans.test.ts) as a walk of keyset pages over the top-level
// lists of the scale file: forward from the first page (first/after) and backward from the last
// (last/before), each down to `depth` pages, timed page by page.
import type { DocumentNode } from "graphql";
import type { DashboardLatency, Run } from "./dashboard-scale.js";
import type { SeedIds } from "./seed-data.js";
import { percentile } from "./stats.js";

type List = "missions" | "jobs" | "cases";
type Filter = Record<string, unknown>;

interface Combination {
  name: string;
  list: List;
  order: { field: string; direction: "ASC" | "DESC" };
  filter: Filter;
}

const ORDER_FIELDS: Record<List, string[]> = {
  missions: ["CREATED_AT", "UPDATED_AT", "FINISHED_AT", "NAME"],
  jobs: ["CREATED_AT", "UPDATED_AT", "FINISHED_AT", "NAME"],
  cases: ["CREATED_AT", "UPDATED_AT", "FINISHED_AT", "NAME", "TOTAL_COST"],
};

// The GraphQL type of each filter argument, to declare it as a variable.
const ARGUMENT_TYPES: Record<string, string> = {
  status: "[EntityStatus!]",
  running: "Boolean",
  ids: "[ID!]",
  search: "String",
  createdAt: "TimeRange",
  updatedAt: "TimeRange",
  finishedAt: "TimeRange",
  missionId: "ID",
  agentName: "String",
  withoutMission: "Boolean",
  jobId: "ID",
};

interface Values {
  /** A tenth of the seeded time span, in its middle. */
  window: { from: string; to: string };
  /** The whole seeded time span (a job's cases are all in a short part of it). */
  span: { from: string; to: string };
  ids: Record<List, string[]>;
  missionId: string;
  jobId: string;
  search: Record<List, string>;
}

function combinations(v: Values): Combination[] {
  const lists: List[] = ["missions", "jobs", "cases"];
  const newest = { field: "CREATED_AT", direction: "DESC" } as const;
  return [
    ...lists.flatMap((list) =>
      ORDER_FIELDS[list].flatMap((field) =>
        (["ASC", "DESC"] as const).map((direction) => ({
          name: `${list} by ${field} ${direction}`,
          list,
          order: { field, direction },
          filter: {},
        })),
      ),
    ),
    ...lists.flatMap((list): Combination[] => [
      { name: `${list}: status FAILED, newest first`, list, order: newest, filter: { status: ["FAILED"] } },
      { name: `${list}: running, newest first`, list, order: newest, filter: { running: true } },
      { name: `${list}: ids, by name`, list, order: { field: "NAME", direction: "ASC" }, filter: { ids: v.ids[list] } },
      { name: `${list}: created in a window, newest first`, list, order: newest, filter: { createdAt: v.window } },
      {
        name: `${list}: updated in a window, latest first`,
        list,
        order: { field: "UPDATED_AT", direction: "DESC" },
        filter: { updatedAt: v.window },
      },
      {
        name: `${list}: finished in a window, latest first`,
        list,
        order: { field: "FINISHED_AT", direction: "DESC" },
        filter: { finishedAt: v.window },
      },
      {
        name: `${list}: search, by name`,
        list,
        order: { field: "NAME", direction: "ASC" },
        filter: { search: v.search[list] },
      },
    ]),
    { name: "jobs: a mission's, newest first", list: "jobs", order: newest, filter: { missionId: v.missionId } },
    {
      name: "jobs: without a mission",
      list: "jobs",
      order: { field: "CREATED_AT", direction: "ASC" },
      filter: { withoutMission: true },
    },
    { name: "jobs: an agent's, newest first", list: "jobs", order: newest, filter: { agentName: "coder" } },
    {
      name: "cases: a job's",
      list: "cases",
      order: { field: "CREATED_AT", direction: "ASC" },
      filter: { jobId: v.jobId },
    },
    { name: "cases: a mission's, newest first", list: "cases", order: newest, filter: { missionId: v.missionId } },
    {
      name: "cases: a job's failed, latest first",
      list: "cases",
      order: { field: "FINISHED_AT", direction: "DESC" },
      filter: { jobId: v.jobId, status: ["FAILED"], finishedAt: v.span },
    },
  ];
}

interface Page {
  edges: unknown[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

/** The values the filters take on the seeded data: found by asking the service. */
async function valuesOf(run: Run, prepared: (source: string) => DocumentNode, seed: SeedIds): Promise<Values> {
  const ends = prepared(`query SeedSpan {
    first: cases(first: 1) { edges { node { createdAt } } }
    last: cases(last: 1) { edges { node { createdAt } } }
    missions(first: 500) { edges { node { id } } }
  }`);
  const { data } = await run(ends, {});
  const at = (key: string) =>
    Date.parse((data[key] as { edges: { node: { createdAt: string } }[] }).edges[0]!.node.createdAt);
  const start = at("first");
  const span = at("last") - start;
  const spread = (ids: string[]) => ids.filter((_, i) => i % Math.max(1, Math.floor(ids.length / 100)) === 0);
  const missions = (data.missions as { edges: { node: { id: string } }[] }).edges.map((e) => e.node.id);
  return {
    window: {
      from: new Date(start + span * 0.45).toISOString(),
      to: new Date(start + span * 0.55).toISOString(),
    },
    span: { from: new Date(start).toISOString(), to: new Date(start + span + 3_600_000).toISOString() },
    ids: { missions: spread(missions), jobs: spread(seed.sampleJobIds), cases: spread(seed.sampleCaseIds) },
    missionId: seed.aggregateMissionId ?? missions[0]!,
    jobId: seed.bigJobIds[0] ?? seed.sampleJobIds[0]!,
    search: { missions: "ssion 42", jobs: "ob 4242", cases: "ase 4242" },
  };
}

function documentOf(c: Combination, prepared: (source: string) => DocumentNode): DocumentNode {
  const orderType = c.list === "cases" ? "CaseOrder" : "EntityOrder";
  const keys = Object.keys(c.filter);
  const declarations = keys.map((key) => `$${key}: ${ARGUMENT_TYPES[key]}`).join(", ");
  const arguments_ = keys.map((key) => `${key}: $${key}`).join(", ");
  return prepared(`query ListPage($first: Int, $last: Int, $after: String, $before: String, $orderBy: ${orderType}${
    declarations ? `, ${declarations}` : ""
  }) {
    ${c.list}(first: $first, last: $last, after: $after, before: $before, orderBy: $orderBy${
      arguments_ ? `, ${arguments_}` : ""
    }) {
      edges { node { id name status } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }`);
}

/**
 * p50/p99 of pages of 50 of each combination, forward and backward, `samples` pages each way
 * (walks start over from the end they started at after `depth` pages or the list's end).
 */
export async function listLatencies(
  run: Run,
  prepared: (source: string) => DocumentNode,
  seed: SeedIds,
  samples: number,
  depth: number,
): Promise<Record<string, DashboardLatency>> {
  const values = await valuesOf(run, prepared, seed);
  const results: Record<string, DashboardLatency> = {};
  for (const c of combinations(values)) {
    const document = documentOf(c, prepared);
    for (const forward of [true, false]) {
      let cursor: string | null = null;
      let pages = 0;
      let deepest = 0;
      let items = 0;
      let statements = 0;
      const page = async () => {
        const variables = {
          ...c.filter,
          orderBy: c.order,
          ...(forward ? { first: 50, after: cursor } : { last: 50, before: cursor }),
        };
        const result = await run(document, variables);
        const list = result.data[c.list] as Page;
        items = Math.max(items, list.edges.length);
        statements = Math.max(statements, result.statements);
        const more = forward ? list.pageInfo.hasNextPage : list.pageInfo.hasPreviousPage;
        pages = more && pages < depth - 1 ? pages + 1 : 0;
        deepest = Math.max(deepest, pages + 1);
        cursor = pages === 0 ? null : forward ? list.pageInfo.endCursor : list.pageInfo.startCursor;
        return result.ms;
      };
      for (let i = 0; i < Math.min(10, samples); i++) await page(); // warm-up
      cursor = null;
      pages = 0;
      const times: number[] = [];
      for (let i = 0; i < samples; i++) times.push(await page());
      const key = `list_${c.name.replace(/[^A-Za-z0-9]+/g, "_").replace(/_$/, "")}_${forward ? "forward" : "backward"}`;
      results[key] = {
        p50_ms: percentile(times, 50),
        p99_ms: percentile(times, 99),
        max_ms: Math.max(...times),
        samples: times.length,
        statements,
        note: `${c.name}, ${forward ? "first/after" : "last/before"}, down to ${deepest} pages deep${
          items < 50 ? `, up to ${items} items a page` : ""
        }`,
      };
    }
  }
  return results;
}
