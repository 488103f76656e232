import { useQuery } from "urql";
import { cost, dateTime } from "../format";
import { CaseListDocument } from "../generated/graphql";
import { type ListFilters, listVariables } from "../list-variables";
import { useLiveRefresh } from "../live";
import { hrefOf } from "../router";
import { Link } from "./link";
import { ListRows } from "./list-rows";
import type { CountsReport } from "./list-section";
import { type PageProps, Pages } from "./pages";
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
  return (
    <ListRows
      list={cases}
      fetching={fetching}
      error={error}
      retry={() => retry()}
      columns={COLUMNS}
      noun="cases"
      testId="case-rows"
      filters={filters}
      after={after}
      last={last}
      loadMore={loadMore}
      row={(node) => (
        <>
          <th scope="row">
            <Link href={hrefOf({ page: "case", id: node.id })}>{node.name}</Link>
          </th>
          <td>
            <StatusBadge status={node.status} />
          </td>
          <td className="number">{node.steps.totalCount}</td>
          <td className="number">{cost(node.totalCost)}</td>
          <td>{dateTime(node.createdAt)}</td>
        </>
      )}
    />
  );
}
