// A list with its filters above it and how many of what it matches are in each status: the
// filters are kept here, the first page of the table reports the counts.
import { type ReactNode, useCallback, useState } from "react";
import { type ListFilters, NO_FILTERS } from "../list-variables";
import { ListFilterBar } from "./list-filters";
import { type StatusCount, StatusCounts } from "./status-counts";

export type CountsReport = (counts: StatusCount[]) => void;

export function ListSection({
  noun,
  children,
}: {
  noun: string;
  children: (filters: ListFilters, onCounts: CountsReport) => ReactNode;
}) {
  const [filters, setFilters] = useState<ListFilters>(NO_FILTERS);
  const [counts, setCounts] = useState<StatusCount[] | undefined>();
  const onCounts = useCallback<CountsReport>((next) => setCounts(next), []);
  return (
    <>
      <ListFilterBar noun={noun} filters={filters} onChange={setFilters} />
      {counts ? (
        <div className="list-summary">
          <span>By status: </span>
          <StatusCounts counts={counts} label={`${noun} by status`} testId="list-status-counts" />
        </div>
      ) : null}
      {children(filters, onCounts)}
    </>
  );
}
