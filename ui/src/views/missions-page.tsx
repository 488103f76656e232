import { useState } from "react";
import { MissionTable } from "../components/mission-table";
import { StatusFilter } from "../components/status-filter";
import { type ListFilters, NO_FILTERS } from "../list-variables";

export function MissionsPage() {
  const [filters, setFilters] = useState<ListFilters>(NO_FILTERS);
  return (
    <>
      <h1>Missions</h1>
      <StatusFilter filters={filters} onChange={setFilters} />
      <MissionTable filters={filters} />
    </>
  );
}
