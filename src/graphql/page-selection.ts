// Whether a connection's selection reads its page (edges or pageInfo) or only its totalCount. A
// count alone is what the cost limit charges 1 for (server/query-limits.ts), so it must not read
// a page per parent either: a page of 500 cases each counting its steps reads no steps.
import type { FieldNode, GraphQLResolveInfo } from "graphql";
import type { Page } from "../domain/entities.js";
import type { PagedList } from "../services/services.js";
import type { GraphQLContext } from "./context.js";
import { fieldsOf } from "./selection-fields.js";

// Kept per field node: a document Apollo keeps (or compiles) is executed with the same nodes each
// time and for every item of a list, so the walk runs once per field of a document.
const readsPageOf = new WeakMap<FieldNode, boolean>();

function selectsPage(info: GraphQLResolveInfo): boolean {
  const cacheable = info.fieldNodes.length === 1;
  const cached = cacheable ? readsPageOf.get(info.fieldNodes[0]!) : undefined;
  if (cached !== undefined) return cached;
  const reads = info.fieldNodes.some((node) =>
    fieldsOf(node.selectionSet, info.fragments).some(
      (field) => field.name.value === "edges" || field.name.value === "pageInfo",
    ),
  );
  if (cacheable) readsPageOf.set(info.fieldNodes[0]!, reads);
  return reads;
}

const NO_PAGE: Page<never> = { items: [], cursors: [], hasNextPage: false };

/**
 * The page `load` reads, or, when the selection asks only for the count, no page at all: its
 * arguments are still checked, so `first: 501` or a cursor of another list is refused whatever
 * is selected.
 */
export function pageIfSelected<T>(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  list: PagedList,
  args: { first?: number | null; after?: string | null; status?: readonly string[] | null },
  load: () => Promise<Page<T>>,
): Promise<Page<T>> {
  if (selectsPage(info)) return load();
  ctx.services.checkPageArgs(list, args);
  return Promise.resolve(NO_PAGE);
}
