// Which columns of a child table a connection field's selection reads. A dashboard asks for
// `cases(first: 10) { edges { node { id status } } }` under a hundred jobs: reading every column
// of those thousand rows (JSON documents included) cost more than the rest of the request
// (BENCHMARKS.md, "Nested reads"). The page then reads only what the nodes' fields need.
//
// A field this file does not know reads every column: a new field is never served from a row
// that lacks its column, it is only slower until it is listed here.
import type { FieldNode, FragmentDefinitionNode } from "graphql";
import { ENTITY_TABLES } from "../db/entity-tables.js";
import { fieldsOf, subfields } from "./selection-fields.js";

type ChildType = "Job" | "Case";

/** Columns of fields computed from other columns, and relations that start from the id. */
const DERIVED: Readonly<Record<string, readonly string[]>> = {
  __typename: [],
  isRunning: ["status"],
  isTerminal: ["status"],
  validEvents: ["status"],
  transitions: [],
  mission: ["missionId"],
  job: ["jobId"],
  cases: [],
  caseIds: [],
  updates: [],
  steps: [],
  // Costs are kept in micro-units (domain/cost.ts); the field converts. A job's totalCost sums
  // its cases (from the id), so reads no column of its own: only the table's columns are read.
  totalCost: ["totalCostMicros"],
  caseStatusCounts: [],
};

// Every page reads these: the id, and the parent its rows are grouped by. A job's agentName
// tells a Job from a Case or Mission where only the record is at hand (entityTypeOf).
const ALWAYS: Readonly<Record<ChildType, readonly string[]>> = {
  Job: ["id", "missionId", "agentName"],
  Case: ["id", "jobId"],
};

// Cursors hold each item's place in the list order (createdAt, id): read only when a cursor is
// selected, as an edge's `cursor` or in `pageInfo`.
const ORDER_COLUMN = "createdAt";

/** Columns to read, and a key naming that choice for loaders; no columns means every one. */
export interface ColumnChoice {
  columns: readonly string[] | undefined;
  key: string;
}

const ALL_COLUMNS: ColumnChoice = { columns: undefined, key: "*" };

// Per field node of the document: a document Apollo keeps is executed with the same nodes each
// time, so the walk below runs once per document and child type, not once per parent.
const chosen = new WeakMap<FieldNode, Map<ChildType, ColumnChoice>>();

/**
 * The columns the nodes of a connection field (`jobs`, `cases`) read, from the field's nodes as
 * the executor passes them. Directives are ignored, so the choice covers every branch of the
 * document whatever its variables.
 */
export function connectionNodeColumns(
  child: ChildType,
  fieldNodes: readonly FieldNode[],
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
): ColumnChoice {
  const cacheable = fieldNodes.length === 1;
  const cached = cacheable ? chosen.get(fieldNodes[0]!)?.get(child) : undefined;
  if (cached) return cached;
  const choice = choose(child, fieldNodes, fragments);
  if (cacheable) {
    const byChild = chosen.get(fieldNodes[0]!) ?? new Map<ChildType, ColumnChoice>();
    byChild.set(child, choice);
    chosen.set(fieldNodes[0]!, byChild);
  }
  return choice;
}

function choose(
  child: ChildType,
  fieldNodes: readonly FieldNode[],
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
): ColumnChoice {
  const table = ENTITY_TABLES[child].columns as Readonly<Record<string, unknown>>;
  const columns = new Set(ALWAYS[child]);
  const edges = fieldNodes.flatMap((node) => subfields(node.selectionSet, "edges", fragments));
  const nodes = edges.flatMap((edge) => subfields(edge.selectionSet, "node", fragments));
  const cursors =
    edges.some((edge) => subfields(edge.selectionSet, "cursor", fragments).length > 0) ||
    fieldNodes.some((node) => subfields(node.selectionSet, "pageInfo", fragments).length > 0);
  if (cursors) columns.add(ORDER_COLUMN);
  for (const node of nodes) {
    for (const field of fieldsOf(node.selectionSet, fragments)) {
      const name = field.name.value;
      if (Object.hasOwn(table, name)) columns.add(name);
      else if (Object.hasOwn(DERIVED, name)) {
        for (const column of DERIVED[name]!) if (Object.hasOwn(table, column)) columns.add(column);
      } else return ALL_COLUMNS;
    }
  }
  const list = Object.keys(table).filter((column) => columns.has(column));
  return list.length === Object.keys(table).length ? ALL_COLUMNS : { columns: list, key: list.join(",") };
}
