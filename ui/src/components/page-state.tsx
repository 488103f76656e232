// What a list page shows while its query has no answer: a loading row or the error, in words.
import type { CombinedError } from "@urql/core";
import { ErrorNotice } from "./error-notice";

export function StateRow({
  columns,
  fetching,
  error,
  retry,
}: {
  columns: number;
  fetching: boolean;
  error: CombinedError | undefined;
  retry: () => void;
}) {
  return (
    <tr>
      <td colSpan={columns}>
        {error ? <ErrorNotice error={error} onRetry={retry} /> : fetching ? <span role="status">Loading…</span> : null}
      </td>
    </tr>
  );
}
