import { ListSection } from "../components/list-section";
import { MissionTable } from "../components/mission-table";

export function MissionsPage() {
  return (
    <>
      <h1>Missions</h1>
      <ListSection noun="missions">
        {(filters, onCounts) => <MissionTable filters={filters} onCounts={onCounts} />}
      </ListSection>
    </>
  );
}
