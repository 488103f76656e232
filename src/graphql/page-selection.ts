// Whether a connection's selection reads its page (edges or pageInfo) or only its totalCount. A
// count alone is what the cost limit charges 1 for (server/query-limits.ts), so it must not read
// a page per parent either: a page of 500 cases each counting its steps reads no steps.
import type { FieldNode, GraphQLResolveInfo } from "graphql";
import type { Page } from "../domain/entities.js";
import type { ListArgs } from "../services/list-args.js";
import type { PagedList, TransitionListArgs } from "../services/services.js";
import type { GraphQLContext } from "./context.js";
import { fieldsOf } from "./selection-fields.js";

// Kept per field node: a document Apollo keeps (or compiles) is executed with the same nodes each
// time and for every item of a list, so the walk runs once per field of a document.
const readsPageOf = new WeakMap<FieldNode, boolean>();
const readsCountsOf = new WeakMap<FieldNode, boolean>();
const readsStatusCountsOf = new WeakMap<FieldNode, boolean>();

function selectsAny(info: GraphQLResolveInfo, known: WeakMap<FieldNode, boolean>, names: readonly string[]): boolean {
  const cacheable = info.fieldNodes.length === 1;
  const cached = cacheable ? known.get(info.fieldNodes[0]!) : undefined;
  if (cached !== undefined) return cached;
  const reads = info.fieldNodes.some((node) =>
    fieldsOf(node.selectionSet, info.fragments).some((field) => names.includes(field.name.value)),
  );
  if (cacheable) known.set(info.fieldNodes[0]!, reads);
  return reads;
}

/** Whether the connection's selection reads its page: edges or pageInfo. */
export const selectsPage = (info: GraphQLResolveInfo): boolean => selectsAny(info, readsPageOf, ["edges", "pageInfo"]);

/** Whether the connection's selection reads a count: totalCount or statusCounts. */
export const selectsCounts = (info: GraphQLResolveInfo): boolean =>
  selectsAny(info, readsCountsOf, ["totalCount", "statusCounts"]);

/** Whether the connection's selection reads its statusCounts. */
export const selectsStatusCounts = (info: GraphQLResolveInfo): boolean =>
  selectsAny(info, readsStatusCountsOf, ["statusCounts"]);

const NO_PAGE: Page<never> = { items: [], cursors: [], hasNextPage: false, hasPreviousPage: false };

type PageArgs = ListArgs & TransitionListArgs;

/**
 * The page `load` reads, or, when the selection asks only for the count, no page at all: its
 * arguments are still checked, so `first: 501` or a cursor of another list is refused whatever
 * is selected. `args` may be a function, for arguments that cost something to build and are
 * needed only then.
 */
export function pageIfSelected<T>(
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
  list: PagedList,
  args: PageArgs | (() => PageArgs),
  load: () => Promise<Page<T>>,
): Promise<Page<T>> {
  return selectsPage(info) ? load() : noPage(ctx, list, args);
}

/** No page, for a selection that reads only the count; the arguments are checked as for a page. */
export function noPage(ctx: GraphQLContext, list: PagedList, args: PageArgs | (() => PageArgs)): Promise<Page<never>> {
  ctx.services.checkPageArgs(list, typeof args === "function" ? args() : args);
  return Promise.resolve(NO_PAGE);
}
