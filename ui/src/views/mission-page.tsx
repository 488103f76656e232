import { useQuery } from "urql";
import { useAccess } from "../access";
import { Breadcrumbs } from "../components/breadcrumbs";
import { CaseTotals } from "../components/case-totals";
import { EntityHeader } from "../components/entity-header";
import { EventActions } from "../components/event-actions";
import { JobTable } from "../components/job-table";
import { JsonBlock } from "../components/json-block";
import { ListSection } from "../components/list-section";
import { Timeline } from "../components/timeline";
import { MissionDetailDocument } from "../generated/graphql";
import { useLiveRefresh } from "../live";
import { hrefOf, navigate } from "../router";
import { Missing, Waiting } from "./waiting";

export function MissionPage({ id }: { id: string }) {
  const [{ data, fetching, error }, refresh] = useQuery({ query: MissionDetailDocument, variables: { id } });
  useLiveRefresh(
    // Its header counts and costs the cases under it.
    (change) => change.entityId === id || change.missionId === id,
    () => refresh({ requestPolicy: "network-only" }),
  );
  const { canWrite } = useAccess();
  const mission = data?.mission;
  if (data && !mission) return <Missing kind="Mission" id={id} />;
  if (!mission)
    return <Waiting fetching={fetching} error={error} retry={() => refresh({ requestPolicy: "network-only" })} />;
  return (
    <>
      <Breadcrumbs trail={[{ href: hrefOf({ page: "missions" }), label: "Missions" }]} current={mission.name} />
      <EntityHeader kind="Mission" entity={mission}>
        <CaseTotals totalCost={mission.totalCost} counts={mission.caseStatusCounts} />
      </EntityHeader>
      {mission.description ? <p className="description">{mission.description}</p> : null}
      <EventActions
        kind="Mission"
        entity={mission}
        canWrite={canWrite}
        refresh={() => refresh({ requestPolicy: "network-only" })}
        onDeleted={() => navigate(hrefOf({ page: "missions" }))}
      />
      <section aria-labelledby="jobs-heading">
        <h2 id="jobs-heading">Jobs</h2>
        <ListSection noun="jobs">
          {(filters, onCounts) => <JobTable filters={filters} onCounts={onCounts} missionId={mission.id} />}
        </ListSection>
      </section>
      <Timeline kind="Mission" id={mission.id} />
      <JsonBlock label="Metadata" value={mission.metadata} />
    </>
  );
}
