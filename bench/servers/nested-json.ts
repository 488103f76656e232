// The bare baseline's nested reads: the JSON a GraphQL server answers, built straight from the
// statements of nested-data.ts, level by level (the statements of one level sent together, as
// casebook's loaders of one level are), without GraphQL.
import { TRANSITIONS_PER_NODE } from "../lib/nested-reads.js";
import { validEvents } from "./floor-levels.js";
import { byParent, type ChildKind, type EntityKind, type NestedData, type NodeRow } from "./nested-data.js";

/** What an operation of bench/lib/nested-reads.ts asks for. */
export interface NestedShape {
  missions: number;
  rich: boolean;
}

// The reads' page size below the missions, and of the transitions in the rich read.
const CHILDREN = 10;
const TRANSITIONS = TRANSITIONS_PER_NODE;

interface LevelRows {
  /** The level's rows, grouped by parent (one group for the missions). */
  pages: NodeRow[][];
  counts?: Map<string, number>;
  transitions?: Map<string, { event: string; toStatus: string; at: string }[]>;
}

export async function nestedJson(data: NestedData, shape: NestedShape): Promise<unknown> {
  const missions = (await data.missions(shape.missions + 1)).slice(0, shape.missions);
  const missionIds = missions.map((m) => m.id);
  const [missionCount, missionTransitions] = shape.rich
    ? await Promise.all([data.countMissions(), transitionsOf(data, "MISSION", missionIds)])
    : [];
  const jobs = await level(data, "jobs", missionIds, shape.rich);
  const jobIds = jobs.pages.flat().map((j) => j.id);
  const cases = await level(data, "cases", jobIds, shape.rich);

  const node = (row: NodeRow, rows: LevelRows | undefined, children?: unknown) => {
    const out: Record<string, unknown> = { id: row.id, status: row.status };
    if (shape.rich) {
      out.validEvents = validEvents(row.status);
      out.transitions = {
        edges: (rows?.transitions ?? missionTransitions)!.get(row.id)!.map((t) => ({ node: t })),
      };
    }
    if (children !== undefined) Object.assign(out, children);
    return out;
  };
  const connection = (totalCount: number | undefined, nodes: unknown[]) =>
    shape.rich ? { totalCount, edges: nodes.map((n) => ({ node: n })) } : { edges: nodes.map((n) => ({ node: n })) };

  let jobIndex = 0;
  return {
    data: {
      missions: connection(
        missionCount,
        missions.map((mission, m) =>
          node(mission, undefined, {
            jobs: connection(
              jobs.counts?.get(mission.id),
              jobs.pages[m]!.map((job) => {
                const jobCases = cases.pages[jobIndex++]!;
                return node(job, jobs, {
                  cases: connection(
                    cases.counts?.get(job.id),
                    jobCases.map((c) => node(c, cases)),
                  ),
                });
              }),
            ),
          }),
        ),
      ),
    },
  };
}

/** The first page of children of every parent, with their counts and transitions when rich. */
async function level(data: NestedData, kind: ChildKind, parentIds: string[], rich: boolean): Promise<LevelRows> {
  const rows = await data.children(kind, parentIds, CHILDREN + 1);
  const pages = [...byParent(parentIds, rows, (row) => row.parentId).values()].map((page) => page.slice(0, CHILDREN));
  if (!rich) return { pages };
  const ids = pages.flat().map((row) => row.id);
  const [counts, transitions] = await Promise.all([
    data.countChildren(kind, parentIds),
    transitionsOf(data, kind === "jobs" ? "JOB" : "CASE", ids),
  ]);
  return { pages, counts, transitions };
}

async function transitionsOf(data: NestedData, kind: EntityKind, ids: string[]) {
  const rows = await data.transitions(kind, ids, TRANSITIONS + 1);
  const byEntity = byParent(ids, rows, (row) => row.entityId);
  return new Map(
    [...byEntity].map(([id, list]) => [
      id,
      list.slice(0, TRANSITIONS).map(({ event, toStatus, at }) => ({ event, toStatus, at })),
    ]),
  );
}
