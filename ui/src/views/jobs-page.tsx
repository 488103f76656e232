import { useState } from "react";
import { JobTable } from "../components/job-table";
import { StatusFilter } from "../components/status-filter";
import { type ListFilters, NO_FILTERS } from "../list-variables";

/** Every job, those in missions and those on their own. */
export function JobsPage() {
  const [filters, setFilters] = useState<ListFilters>(NO_FILTERS);
  return (
    <>
      <h1>Jobs</h1>
      <StatusFilter filters={filters} onChange={setFilters} />
      <JobTable filters={filters} />
    </>
  );
}
