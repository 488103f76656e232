import { useQuery } from "urql";
import { LifecycleDiagram } from "../components/lifecycle-diagram";
import { StatusBadge } from "../components/status-badge";
import { eventLabel } from "../format";
import { LifecycleDiagramDocument } from "../generated/graphql";
import { Waiting } from "./waiting";

/** The one state machine of missions, jobs and cases, as the server defines it. */
export function LifecyclePage() {
  const [{ data, fetching, error }, retry] = useQuery({ query: LifecycleDiagramDocument });
  const lifecycle = data?.lifecycle;
  if (!lifecycle) return <Waiting fetching={fetching} error={error} retry={() => retry()} />;
  return (
    <>
      <h1>Lifecycle</h1>
      <p>
        Missions, jobs and cases all follow this state machine. Running:{" "}
        {lifecycle.runningStatuses.map((s) => (
          <StatusBadge key={s} status={s} />
        ))}
        . Finished (no way out):{" "}
        {lifecycle.terminalStatuses.map((s) => (
          <StatusBadge key={s} status={s} />
        ))}
        .
      </p>
      <LifecycleDiagram edges={lifecycle.transitions} terminal={lifecycle.terminalStatuses} />
      <table className="list" data-testid="lifecycle-table">
        <caption>Transitions</caption>
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">From</th>
            <th scope="col">To</th>
          </tr>
        </thead>
        <tbody>
          {lifecycle.transitions.map((t) => (
            <tr key={`${t.event}:${t.from}`}>
              <th scope="row">{eventLabel(t.event)}</th>
              <td>
                <StatusBadge status={t.from} />
              </td>
              <td>
                <StatusBadge status={t.to} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>Mermaid source</summary>
        <pre>{lifecycle.mermaid}</pre>
      </details>
    </>
  );
}
