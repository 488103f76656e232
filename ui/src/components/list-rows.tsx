import type { ReactNode } from "react";
import type { CombinedError } from "urql";
import type { ListFilters } from "../list-variables";
import { isFiltered } from "../list-variables";
import { EmptyState } from "./empty-state";
import { StateRow } from "./page-state";
import { LoadMoreRow, type PageProps } from "./pages";

interface Connection<TNode> {
  totalCount: number;
  edges: { node: TNode }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/**
 * One page of a list table's body, the same for missions, jobs and cases: loading or error state
 * until the page is there, the empty state on the first page, a row per node (`row`), and
 * "load more" on the last page shown.
 */
export function ListRows<TNode extends { id: string }>({
  list,
  fetching,
  error,
  retry,
  columns,
  noun,
  testId,
  filters,
  after,
  last,
  loadMore,
  row,
}: PageProps & {
  list: Connection<TNode> | undefined;
  fetching: boolean;
  error: CombinedError | undefined;
  retry: () => void;
  columns: number;
  noun: string;
  testId: string;
  filters: ListFilters;
  row: (node: TNode) => ReactNode;
}) {
  if (!list) {
    return (
      <tbody>
        <StateRow columns={columns} fetching={fetching} error={error} retry={retry} />
      </tbody>
    );
  }
  return (
    <tbody data-testid={testId}>
      {list.totalCount === 0 && after === null ? (
        <tr>
          <td colSpan={columns}>
            <EmptyState filtered={isFiltered(filters)} noun={noun} />
          </td>
        </tr>
      ) : null}
      {list.edges.map(({ node }) => (
        <tr key={node.id}>{row(node)}</tr>
      ))}
      {last && list.totalCount > 0 ? (
        <LoadMoreRow
          columns={columns}
          total={list.totalCount}
          noun={noun}
          endCursor={list.pageInfo.hasNextPage ? (list.pageInfo.endCursor ?? null) : null}
          loadMore={loadMore}
        />
      ) : null}
    </tbody>
  );
}
