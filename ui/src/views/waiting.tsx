import type { CombinedError } from "@urql/core";
import type { EntityKind } from "../components/entity-kind";
import { ErrorNotice } from "../components/error-notice";
import { Link } from "../components/link";
import { hrefOf } from "../router";

/** A page whose entity has not arrived: loading, or the error that stopped it. */
export function Waiting({ fetching, error, retry }: { fetching: boolean; error?: CombinedError; retry: () => void }) {
  if (error) return <ErrorNotice error={error} onRetry={retry} />;
  return fetching ? <p role="status">Loading…</p> : null;
}

/** The id in the address names nothing (deleted, or never there). */
export function Missing({ kind, id }: { kind: EntityKind; id: string }) {
  return (
    <div className="notice" role="alert">
      <p className="notice-title">
        There is no {kind.toLowerCase()} <code>{id}</code>
      </p>
      <p>
        It may have been deleted. <Link href={hrefOf({ page: "missions" })}>Back to the missions</Link>
      </p>
    </div>
  );
}
