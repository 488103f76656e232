// The nested reads of the `nested` phase: what a dashboard sends first (missions → jobs → cases),
// the same with counts, valid events and transitions on every level, and a board of 20 missions.
// Every GraphQL server gets the same bytes (bare reads the operationName only); PostGraphile gets
// the plain reads in its generated names (rowId, nodes).

export type NestedReadName = "dashboard" | "dashboard-rich" | "dashboard-20";

export interface NestedRead {
  name: NestedReadName;
  operationName: string;
  query: string;
  /** Missions in the first page; each has 10 jobs with 10 cases each on the seeded data. */
  missions: number;
  /** Whether the read asks for totalCount, validEvents and transitions on every level. */
  rich: boolean;
  /** The same rows in PostGraphile's generated schema, where it can express the read. */
  postgraphileQuery?: string;
}

/** Transitions per node in the rich read: the latest, newest first. */
export const TRANSITIONS_PER_NODE = 3;

const plain = (missions: number) =>
  `missions(first: ${missions}) { edges { node { id status jobs(first: 10) { edges { node { id status ` +
  `cases(first: 10) { edges { node { id status } } } } } } } } }`;

const TRANSITIONS = `transitions(first: ${TRANSITIONS_PER_NODE}, orderBy: { direction: DESC }) { edges { node { event toStatus at } } }`;
const RICH =
  `missions(first: 10) { totalCount edges { node { id status validEvents ${TRANSITIONS} ` +
  `jobs(first: 10) { totalCount edges { node { id status validEvents ${TRANSITIONS} ` +
  `cases(first: 10) { totalCount edges { node { id status validEvents ${TRANSITIONS} } } } } } } } } }`;

const postgraphile = (missions: number) =>
  `query Dashboard { missions(first: ${missions}) { nodes { rowId status jobs(first: 10) { nodes { rowId status ` +
  `cases(first: 10) { nodes { rowId status } } } } } } }`;

export const NESTED_READS: readonly NestedRead[] = [
  {
    name: "dashboard",
    operationName: "Dashboard",
    query: `query Dashboard { ${plain(10)} }`,
    missions: 10,
    rich: false,
    postgraphileQuery: postgraphile(10),
  },
  {
    name: "dashboard-rich",
    operationName: "DashboardRich",
    query: `query DashboardRich { ${RICH} }`,
    missions: 10,
    rich: true,
  },
  {
    name: "dashboard-20",
    operationName: "Dashboard20",
    query: `query Dashboard20 { ${plain(20)} }`,
    missions: 20,
    rich: false,
    postgraphileQuery: postgraphile(20),
  },
];

/**
 * Objects in a response body: entities and transitions, each one `node` of a connection (or one
 * `rowId` row of PostGraphile's `nodes`). A scan of the text, cheap enough for every response.
 */
export function countObjects(body: string, marker: '"node":' | '"rowId":' = '"node":'): number {
  let n = 0;
  for (let at = body.indexOf(marker); at !== -1; at = body.indexOf(marker, at + marker.length)) n++;
  return n;
}
