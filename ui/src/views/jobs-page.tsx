import { JobTable } from "../components/job-table";
import { ListSection } from "../components/list-section";

/** Every job, those in missions and those on their own. */
export function JobsPage() {
  return (
    <>
      <h1>Jobs</h1>
      <ListSection noun="jobs">{(filters, onCounts) => <JobTable filters={filters} onCounts={onCounts} />}</ListSection>
    </>
  );
}
