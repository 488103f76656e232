// Whether a connection's selection reads its page (edges or pageInfo) or only its totalCount. A
// count alone is what the cost limit charges 1 for (server/query-limits.ts), so it must not read
// a page per parent either: a page of 500 cases each counting its steps reads no steps.
import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from "graphql";
import { Kind } from "graphql";
import type { Page } from "../domain/entities.js";
import type { PagedList } from "../services/services.js";
import type { GraphQLContext } from "./context.js";

// graphql-js hands every item of a list the same field nodes (collectSubfields is memoised), and
// Apollo keeps one parsed document per query: the answer is worked out once per field.
const readsPageOf = new WeakMap<readonly FieldNode[], boolean>();

export function selectsPage(info: GraphQLResolveInfo): boolean {
  let reads = readsPageOf.get(info.fieldNodes);
  if (reads === undefined) {
    reads = info.fieldNodes.some(
      (node) => node.selectionSet !== undefined && selectsPageIn(node.selectionSet, info.fragments, new Set()),
    );
    readsPageOf.set(info.fieldNodes, reads);
  }
  return reads;
}

function selectsPageIn(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: ReadonlySet<string>,
): boolean {
  return selectionSet.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === "edges" || selection.name.value === "pageInfo";
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsPageIn(selection.selectionSet, fragments, seen);
    const fragment = fragments[selection.name.value];
    if (!fragment || seen.has(selection.name.value)) return false;
    return selectsPageIn(fragment.selectionSet, fragments, new Set([...seen, selection.name.value]));
  });
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
