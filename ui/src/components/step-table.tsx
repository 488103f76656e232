// A case's steps in order, with what each cost and whether it delivered the result.
import { useQuery } from "urql";
import { cost, dateTime, json } from "../format";
import { CaseStepsDocument } from "../generated/graphql";
import { HISTORY_PAGE_SIZE } from "../list-variables";
import { useLiveRefresh } from "../live";
import { StateRow } from "./page-state";
import { LoadMoreRow, type PageProps, Pages } from "./pages";

const COLUMNS = 5;

export function StepTable({ caseId }: { caseId: string }) {
  return (
    <section aria-labelledby="steps-heading">
      <h2 id="steps-heading">Steps</h2>
      <table className="list">
        <caption className="visually-hidden">Steps</caption>
        <thead>
          <tr>
            <th scope="col" className="number">
              #
            </th>
            <th scope="col">Step</th>
            <th scope="col" className="number">
              Cost
            </th>
            <th scope="col">Outcome</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <Pages resetKey={caseId}>{(page) => <StepRows caseId={caseId} {...page} />}</Pages>
      </table>
    </section>
  );
}

function StepRows({ caseId, after, last, loadMore }: PageProps & { caseId: string }) {
  const [{ data, fetching, error }, retry] = useQuery({
    query: CaseStepsDocument,
    variables: { id: caseId, first: HISTORY_PAGE_SIZE, after },
  });
  useLiveRefresh(
    (change) => change.entityId === caseId && change.kind === "STEP_ADDED",
    () => retry({ requestPolicy: "network-only" }),
  );
  const steps = data?.case?.steps;
  if (!steps) {
    return (
      <tbody>
        <StateRow columns={COLUMNS} fetching={fetching} error={error} retry={() => retry()} />
      </tbody>
    );
  }
  return (
    <tbody data-testid="step-rows">
      {steps.totalCount === 0 ? (
        <tr>
          <td colSpan={COLUMNS} className="muted">
            No steps yet.
          </td>
        </tr>
      ) : null}
      {steps.edges.map(({ node }) => (
        <tr key={node.index}>
          <td className="number">{node.index}</td>
          <th scope="row">
            {node.name ?? <span className="muted">unnamed</span>}
            {node.payload !== null && node.payload !== undefined ? (
              <details>
                <summary>Payload</summary>
                <pre>{json(node.payload)}</pre>
              </details>
            ) : null}
          </th>
          <td className="number">{cost(node.cost)}</td>
          <td>
            {node.error ? (
              <span className="error-text">Error: {node.error}</span>
            ) : node.isFinal ? (
              "Final delivery"
            ) : (
              "—"
            )}
          </td>
          <td>{dateTime(node.at)}</td>
        </tr>
      ))}
      {last && steps.totalCount > 0 ? (
        <LoadMoreRow
          columns={COLUMNS}
          total={steps.totalCount}
          noun="steps"
          endCursor={steps.pageInfo.hasNextPage ? steps.pageInfo.endCursor : null}
          loadMore={loadMore}
        />
      ) : null}
    </tbody>
  );
}
