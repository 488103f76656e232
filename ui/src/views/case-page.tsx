import { useQuery } from "urql";
import { useAccess } from "../access";
import { Breadcrumbs } from "../components/breadcrumbs";
import { EntityHeader } from "../components/entity-header";
import { EventActions } from "../components/event-actions";
import { JsonBlock } from "../components/json-block";
import { Link } from "../components/link";
import { StepTable } from "../components/step-table";
import { Timeline } from "../components/timeline";
import { cost } from "../format";
import { CaseDetailDocument } from "../generated/graphql";
import { useLiveRefresh } from "../live";
import { hrefOf, navigate } from "../router";
import { Missing, Waiting } from "./waiting";

export function CasePage({ id }: { id: string }) {
  const [{ data, fetching, error }, refresh] = useQuery({ query: CaseDetailDocument, variables: { id } });
  useLiveRefresh(
    (change) => change.entityId === id,
    () => refresh({ requestPolicy: "network-only" }),
  );
  const { canWrite } = useAccess();
  const entity = data?.case;
  if (data && !entity) return <Missing kind="Case" id={id} />;
  if (!entity)
    return <Waiting fetching={fetching} error={error} retry={() => refresh({ requestPolicy: "network-only" })} />;
  const job = { href: hrefOf({ page: "job", id: entity.job.id }), label: entity.job.name };
  const mission = entity.job.mission;
  const trail = mission
    ? [
        { href: hrefOf({ page: "missions" }), label: "Missions" },
        { href: hrefOf({ page: "mission", id: mission.id }), label: mission.name },
        job,
      ]
    : [{ href: hrefOf({ page: "jobs" }), label: "Jobs" }, job];
  return (
    <>
      <Breadcrumbs trail={trail} current={entity.name} />
      <EntityHeader kind="Case" entity={entity}>
        <div>
          <dt>Job</dt>
          <dd>
            <Link href={job.href}>{job.label}</Link>
          </dd>
        </div>
        <div>
          <dt>Total cost</dt>
          <dd data-testid="total-cost">{cost(entity.totalCost)}</dd>
        </div>
      </EntityHeader>
      {entity.description ? <p className="description">{entity.description}</p> : null}
      {entity.error ? (
        <p className="notice notice-error">
          <strong>Error:</strong> {entity.error}
        </p>
      ) : null}
      <EventActions
        kind="Case"
        entity={entity}
        canWrite={canWrite}
        refresh={() => refresh({ requestPolicy: "network-only" })}
        onDeleted={() => navigate(job.href)}
      />
      <StepTable caseId={entity.id} />
      <section aria-labelledby="delivery-heading">
        <h2 id="delivery-heading">Final delivery</h2>
        {entity.finalDelivery === null || entity.finalDelivery === undefined ? (
          <p className="muted">None yet: a step marked final delivers it.</p>
        ) : (
          <pre data-testid="final-delivery">{JSON.stringify(entity.finalDelivery, null, 2)}</pre>
        )}
      </section>
      <Timeline kind="Case" id={entity.id} />
      <JsonBlock label="Metadata" value={entity.metadata} />
    </>
  );
}
