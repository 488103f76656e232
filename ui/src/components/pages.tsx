// "Load more" for any list: one query per page, each page its own component, so a page already
// shown is never asked for again and every page refreshes on its own after a change.
import { Fragment, type ReactNode, useCallback, useState } from "react";

export interface PageProps {
  after: string | null;
  /** Whether this is the last page shown, the one that offers the next. */
  last: boolean;
  loadMore: (endCursor: string) => void;
}

/** The cursors of the pages shown; they start over when `resetKey` (the filters) changes. */
export function Pages({ resetKey, children }: { resetKey: string; children: (page: PageProps) => ReactNode }) {
  const [state, setState] = useState<{ key: string; cursors: (string | null)[] }>({ key: resetKey, cursors: [null] });
  const cursors = state.key === resetKey ? state.cursors : [null];
  const loadMore = useCallback(
    (endCursor: string) =>
      setState((current) => {
        const shown = current.key === resetKey ? current.cursors : [null];
        return shown.includes(endCursor) ? current : { key: resetKey, cursors: [...shown, endCursor] };
      }),
    [resetKey],
  );
  return (
    <>
      {cursors.map((after, index) => (
        <Fragment key={after ?? ""}>{children({ after, last: index === cursors.length - 1, loadMore })}</Fragment>
      ))}
    </>
  );
}

/** The row under a list's last page: how many there are, and the button for the next page. */
export function LoadMoreRow({
  columns,
  total,
  noun,
  endCursor,
  loadMore,
}: {
  columns: number;
  total: number;
  noun: string;
  endCursor: string | null | undefined;
  loadMore: (endCursor: string) => void;
}) {
  return (
    <tr className="load-more">
      <td colSpan={columns}>
        <span>
          {total} {noun} in all
        </span>
        {endCursor ? (
          <button type="button" onClick={() => loadMore(endCursor)}>
            Load more {noun}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
