import { useEffect } from "react";
import { useQuery } from "urql";
import { cost, dateTime } from "../format";
import { MissionListDocument } from "../generated/graphql";
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

const COLUMNS = 7;
const FIRST_SCREEN_MARK = "casebook:missions-shown";

export function MissionTable({ filters, onCounts }: { filters: ListFilters; onCounts: CountsReport }) {
  return (
    <table className="list">
      <caption className="visually-hidden">Missions</caption>
      <thead>
        <tr>
          <th scope="col">Mission</th>
          <th scope="col">Status</th>
          <th scope="col">Jobs</th>
          <th scope="col">Cases by status</th>
          <th scope="col" className="number">
            Cost
          </th>
          <th scope="col">Created</th>
          <th scope="col">Finished</th>
        </tr>
      </thead>
      <Pages resetKey={JSON.stringify(filters)}>
        {(page) => <MissionRows filters={filters} onCounts={onCounts} {...page} />}
      </Pages>
    </table>
  );
}

function MissionRows({
  filters,
  onCounts,
  after,
  last,
  loadMore,
}: PageProps & { filters: ListFilters; onCounts: CountsReport }) {
  const [{ data, fetching, error }, retry] = useQuery({
    query: MissionListDocument,
    variables: listVariables(filters, after),
  });
  // A mission's row shows its jobs and cases too: any change may concern it.
  useLiveRefresh(
    () => true,
    () => retry({ requestPolicy: "network-only" }),
  );
  const missions = data?.missions;
  useReportedCounts(missions?.statusCounts, onCounts);
  const shown = missions !== undefined && after === null;
  useEffect(() => {
    // The first screen's render time, read by the browser test (performance.getEntriesByName).
    if (shown && performance.getEntriesByName(FIRST_SCREEN_MARK).length === 0) performance.mark(FIRST_SCREEN_MARK);
  }, [shown]);
  return (
    <ListRows
      list={missions}
      fetching={fetching}
      error={error}
      retry={() => retry()}
      columns={COLUMNS}
      noun="missions"
      testId="mission-rows"
      filters={filters}
      after={after}
      last={last}
      loadMore={loadMore}
      row={(node) => (
        <>
          <th scope="row">
            <Link href={hrefOf({ page: "mission", id: node.id })}>{node.name}</Link>
          </th>
          <td>
            <StatusBadge status={node.status} />
          </td>
          <td className="number">{node.jobs.totalCount}</td>
          <td>
            <StatusCounts counts={node.caseStatusCounts} label={`Cases of ${node.name} by status`} />
          </td>
          <td className="number">{cost(node.totalCost)}</td>
          <td>{dateTime(node.createdAt)}</td>
          <td>{dateTime(node.finishedAt)}</td>
        </>
      )}
    />
  );
}
