import type { CombinedError } from "@urql/core";
import { explain } from "../errors";

/** An error as a person reads it: what happened, what to do, and the server's own words. */
export function ErrorNotice({ error, onRetry }: { error: CombinedError; onRetry?: () => void }) {
  const explained = explain(error);
  return (
    <div className="notice notice-error" role="alert" data-code={explained.code}>
      <p className="notice-title">{explained.title}</p>
      <p>{explained.advice}</p>
      {explained.detail ? <p className="notice-detail">Server said: {explained.detail}</p> : null}
      {onRetry ? (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
