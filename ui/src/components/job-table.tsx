import { useQuery } from "urql";
import { cost, dateTime } from "../format";
import { JobListDocument } from "../generated/graphql";
import { isFiltered, type ListFilters, listVariables } from "../list-variables";
import { useLiveRefresh } from "../live";
import { hrefOf } from "../router";
import { EmptyState } from "./empty-state";
import { Link } from "./link";
import type { CountsReport } from "./list-section";
import { StateRow } from "./page-state";
import { LoadMoreRow, type PageProps, Pages } from "./pages";
import { StatusBadge } from "./status-badge";
import { StatusCounts } from "./status-counts";
import { useReportedCounts } from "./use-reported-counts";

const COLUMNS = 6;

/** Jobs of one mission, or every job when missionId is left out. */
export function JobTable({
  filters,
  onCounts,
  missionId,
}: {
  filters: ListFilters;
  onCounts: CountsReport;
  missionId?: string;
}) {
  return (
    <table className="list">
      <caption className="visually-hidden">Jobs</caption>
      <thead>
        <tr>
          <th scope="col">Job</th>
          <th scope="col">Status</th>
          <th scope="col">Agent</th>
          <th scope="col">Cases by status</th>
          <th scope="col" className="number">
            Cost
          </th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <Pages resetKey={JSON.stringify(filters)}>
        {(page) => <JobRows filters={filters} onCounts={onCounts} missionId={missionId} {...page} />}
      </Pages>
    </table>
  );
}

function JobRows({
  filters,
  onCounts,
  missionId,
  after,
  last,
  loadMore,
}: PageProps & { filters: ListFilters; onCounts: CountsReport; missionId?: string }) {
  const [{ data, fetching, error }, retry] = useQuery({
    query: JobListDocument,
    variables: { ...listVariables(filters, after), missionId: missionId ?? null },
  });
  // A job's row shows its cases too.
  useLiveRefresh(
    (change) => change.entityType !== "MISSION" && (missionId === undefined || change.missionId === missionId),
    () => retry({ requestPolicy: "network-only" }),
  );
  const jobs = data?.jobs;
  useReportedCounts(jobs?.statusCounts, onCounts);
  if (!jobs) {
    return (
      <tbody>
        <StateRow columns={COLUMNS} fetching={fetching} error={error} retry={() => retry()} />
      </tbody>
    );
  }
  return (
    <tbody data-testid="job-rows">
      {jobs.totalCount === 0 && after === null ? (
        <tr>
          <td colSpan={COLUMNS}>
            <EmptyState filtered={isFiltered(filters)} noun="jobs" />
          </td>
        </tr>
      ) : null}
      {jobs.edges.map(({ node }) => (
        <tr key={node.id}>
          <th scope="row">
            <Link href={hrefOf({ page: "job", id: node.id })}>{node.name}</Link>
          </th>
          <td>
            <StatusBadge status={node.status} />
          </td>
          <td>{node.agentName}</td>
          <td>
            <StatusCounts counts={node.caseStatusCounts} label={`Cases of ${node.name} by status`} />
          </td>
          <td className="number">{cost(node.totalCost)}</td>
          <td>{dateTime(node.createdAt)}</td>
        </tr>
      ))}
      {last && jobs.totalCount > 0 ? (
        <LoadMoreRow
          columns={COLUMNS}
          total={jobs.totalCount}
          noun="jobs"
          endCursor={jobs.pageInfo.hasNextPage ? jobs.pageInfo.endCursor : null}
          loadMore={loadMore}
        />
      ) : null}
    </tbody>
  );
}
