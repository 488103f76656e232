import { useQuery } from "urql";
import { cost, dateTime } from "../format";
import { JobListDocument } from "../generated/graphql";
import { type ListFilters, listVariables } from "../list-variables";
import { useLiveRefresh } from "../live";
import { hrefOf } from "../router";
import { Link } from "./link";
import { ListRows } from "./list-rows";
import type { CountsReport } from "./list-section";
import { type PageProps, Pages } from "./pages";
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
  return (
    <ListRows
      list={jobs}
      fetching={fetching}
      error={error}
      retry={() => retry()}
      columns={COLUMNS}
      noun="jobs"
      testId="job-rows"
      filters={filters}
      after={after}
      last={last}
      loadMore={loadMore}
      row={(node) => (
        <>
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
        </>
      )}
    />
  );
}
