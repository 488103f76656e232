import { useQuery } from "urql";
import { cost, dateTime } from "../format";
import { CaseListDocument } from "../generated/graphql";
import { isFiltered, type ListFilters, listVariables } from "../list-variables";
import { useLiveRefresh } from "../live";
import { hrefOf } from "../router";
import { EmptyState } from "./empty-state";
import { Link } from "./link";
import type { CountsReport } from "./list-section";
import { StateRow } from "./page-state";
import { LoadMoreRow, type PageProps, Pages } from "./pages";
import { StatusBadge } from "./status-badge";
import { useReportedCounts } from "./use-reported-counts";

const COLUMNS = 5;

export function CaseTable({
  filters,
  onCounts,
  jobId,
}: {
  filters: ListFilters;
  onCounts: CountsReport;
  jobId: string;
}) {
  return (
    <table className="list">
      <caption className="visually-hidden">Cases</caption>
      <thead>
        <tr>
          <th scope="col">Case</th>
          <th scope="col">Status</th>
          <th scope="col">Steps</th>
          <th scope="col" className="number">
            Cost
          </th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <Pages resetKey={JSON.stringify(filters)}>
        {(page) => <CaseRows filters={filters} onCounts={onCounts} jobId={jobId} {...page} />}
      </Pages>
    </table>
  );
}

function CaseRows({
  filters,
  onCounts,
  jobId,
  after,
  last,
  loadMore,
}: PageProps & { filters: ListFilters; onCounts: CountsReport; jobId: string }) {
  const [{ data, fetching, error }, retry] = useQuery({
    query: CaseListDocument,
    variables: { ...listVariables(filters, after), jobId },
  });
  useLiveRefresh(
    (change) => change.entityType === "CASE" && change.jobId === jobId,
    () => retry({ requestPolicy: "network-only" }),
  );
  const cases = data?.cases;
  useReportedCounts(cases?.statusCounts, onCounts);
  if (!cases) {
    return (
      <tbody>
        <StateRow columns={COLUMNS} fetching={fetching} error={error} retry={() => retry()} />
      </tbody>
    );
  }
  return (
    <tbody data-testid="case-rows">
      {cases.totalCount === 0 && after === null ? (
        <tr>
          <td colSpan={COLUMNS}>
            <EmptyState filtered={isFiltered(filters)} noun="cases" />
          </td>
        </tr>
      ) : null}
      {cases.edges.map(({ node }) => (
        <tr key={node.id}>
          <th scope="row">
            <Link href={hrefOf({ page: "case", id: node.id })}>{node.name}</Link>
          </th>
          <td>
            <StatusBadge status={node.status} />
          </td>
          <td className="number">{node.steps.totalCount}</td>
          <td className="number">{cost(node.totalCost)}</td>
          <td>{dateTime(node.createdAt)}</td>
        </tr>
      ))}
      {last && cases.totalCount > 0 ? (
        <LoadMoreRow
          columns={COLUMNS}
          total={cases.totalCount}
          noun="cases"
          endCursor={cases.pageInfo.hasNextPage ? cases.pageInfo.endCursor : null}
          loadMore={loadMore}
        />
      ) : null}
    </tbody>
  );
}
