import { useQuery } from "urql";
import { useAccess } from "../access";
import { Breadcrumbs } from "../components/breadcrumbs";
import { CaseTable } from "../components/case-table";
import { CaseTotals } from "../components/case-totals";
import { EntityHeader } from "../components/entity-header";
import { EventActions } from "../components/event-actions";
import { JsonBlock } from "../components/json-block";
import { Link } from "../components/link";
import { ListSection } from "../components/list-section";
import { Timeline } from "../components/timeline";
import { JobDetailDocument } from "../generated/graphql";
import { useLiveRefresh } from "../live";
import { hrefOf, navigate } from "../router";
import { Missing, Waiting } from "./waiting";

export function JobPage({ id }: { id: string }) {
  const [{ data, fetching, error }, refresh] = useQuery({ query: JobDetailDocument, variables: { id } });
  useLiveRefresh(
    // Its header counts and costs its cases.
    (change) => change.entityId === id || change.jobId === id,
    () => refresh({ requestPolicy: "network-only" }),
  );
  const { canWrite } = useAccess();
  const job = data?.job;
  if (data && !job) return <Missing kind="Job" id={id} />;
  if (!job)
    return <Waiting fetching={fetching} error={error} retry={() => refresh({ requestPolicy: "network-only" })} />;
  const parent = job.mission
    ? { href: hrefOf({ page: "mission", id: job.mission.id }), label: job.mission.name }
    : { href: hrefOf({ page: "jobs" }), label: "Jobs" };
  const trail = job.mission ? [{ href: hrefOf({ page: "missions" }), label: "Missions" }, parent] : [parent];
  return (
    <>
      <Breadcrumbs trail={trail} current={job.name} />
      <EntityHeader kind="Job" entity={job}>
        <div>
          <dt>Agent</dt>
          <dd>{job.agentName}</dd>
        </div>
        <div>
          <dt>Mission</dt>
          <dd>{job.mission ? <Link href={parent.href}>{job.mission.name}</Link> : "none (a job on its own)"}</dd>
        </div>
        <CaseTotals totalCost={job.totalCost} counts={job.caseStatusCounts} />
      </EntityHeader>
      {job.error ? (
        <p className="notice notice-error">
          <strong>Error:</strong> {job.error}
        </p>
      ) : null}
      <EventActions
        kind="Job"
        entity={job}
        canWrite={canWrite}
        refresh={() => refresh({ requestPolicy: "network-only" })}
        onDeleted={() => navigate(parent.href)}
      />
      <section aria-labelledby="cases-heading">
        <h2 id="cases-heading">Cases</h2>
        <ListSection noun="cases">
          {(filters, onCounts) => <CaseTable filters={filters} onCounts={onCounts} jobId={job.id} />}
        </ListSection>
      </section>
      <Timeline kind="Job" id={job.id} />
      <JsonBlock label="Result" value={job.result} />
      <JsonBlock label="Payload" value={job.payload} />
      <JsonBlock label="Job context" value={job.jobContext} />
      <JsonBlock label="Agent parameters" value={job.agentParameters} />
      <JsonBlock label="Metadata" value={job.metadata} />
    </>
  );
}
