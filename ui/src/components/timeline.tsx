// An entity's history, oldest first: each transition with its event, from → to, who, why and when.
import { useQuery } from "urql";
import { dateTime, eventLabel } from "../format";
import { EntityHistoryDocument } from "../generated/graphql";
import { HISTORY_PAGE_SIZE } from "../list-variables";
import { useLiveRefresh } from "../live";
import type { EntityKind } from "./entity-kind";
import { ErrorNotice } from "./error-notice";
import { type PageProps, Pages } from "./pages";
import { StatusBadge } from "./status-badge";

export function Timeline({ kind, id }: { kind: EntityKind; id: string }) {
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <ol className="timeline">
        <Pages resetKey={`${kind}:${id}`}>{(page) => <TimelinePage kind={kind} id={id} {...page} />}</Pages>
      </ol>
    </section>
  );
}

function TimelinePage({ kind, id, after, last, loadMore }: PageProps & { kind: EntityKind; id: string }) {
  const [{ data, fetching, error }, retry] = useQuery({
    query: EntityHistoryDocument,
    variables: {
      id,
      first: HISTORY_PAGE_SIZE,
      after,
      mission: kind === "Mission",
      job: kind === "Job",
      case: kind === "Case",
    },
  });
  useLiveRefresh(
    (change) => change.entityId === id && change.kind === "TRANSITIONED",
    () => retry({ requestPolicy: "network-only" }),
  );
  const transitions = (data?.mission ?? data?.job ?? data?.case)?.transitions;
  if (!transitions) {
    return (
      <li className="timeline-state">
        {error ? (
          <ErrorNotice error={error} onRetry={() => retry()} />
        ) : fetching ? (
          <span role="status">Loading…</span>
        ) : null}
      </li>
    );
  }
  return (
    <>
      {transitions.totalCount === 0 ? <li className="timeline-state">No transitions yet.</li> : null}
      {transitions.edges.map(({ node }) => (
        <li key={node.id} className="timeline-entry" data-testid="transition">
          <div className="timeline-when">
            <time dateTime={node.at}>{dateTime(node.at)}</time>
          </div>
          <div className="timeline-what">
            <strong>{eventLabel(node.event)}</strong>{" "}
            <span className="timeline-move">
              <StatusBadge status={node.fromStatus} /> <span aria-hidden="true">→</span>
              <span className="visually-hidden">to</span> <StatusBadge status={node.toStatus} />
            </span>
            <div className="timeline-who">
              {node.actor ? <span>by {node.actor}</span> : <span className="muted">no actor given</span>}
              {node.reason ? <span>: {node.reason}</span> : null}
            </div>
          </div>
        </li>
      ))}
      {last && transitions.pageInfo.hasNextPage && transitions.pageInfo.endCursor ? (
        <li className="timeline-state">
          <button type="button" onClick={() => loadMore(transitions.pageInfo.endCursor!)}>
            Load more history ({transitions.totalCount} in all)
          </button>
        </li>
      ) : null}
    </>
  );
}
