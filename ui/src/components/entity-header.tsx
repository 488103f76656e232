// The top of a mission's, job's or case's page: its name, status and the facts every kind has.
import type { ReactNode } from "react";
import { dateTime } from "../format";
import type { EntityStateFragment } from "../generated/graphql";
import type { EntityKind } from "./entity-kind";
import { StatusBadge } from "./status-badge";

export function EntityHeader({
  kind,
  entity,
  children,
}: {
  kind: EntityKind;
  entity: EntityStateFragment;
  /** The facts of this kind only, as <div><dt/><dd/></div> pairs. */
  children?: ReactNode;
}) {
  return (
    <header className="entity-header">
      <p className="kind">{kind}</p>
      <h1>
        {entity.name} <StatusBadge status={entity.status} />
      </h1>
      <dl className="facts">
        <div>
          <dt>Id</dt>
          <dd>
            <code>{entity.id}</code>
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd>{entity.version}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{dateTime(entity.createdAt)}</dd>
        </div>
        <div>
          <dt>Updated</dt>
          <dd>{dateTime(entity.updatedAt)}</dd>
        </div>
        {entity.finishedAt ? (
          <div>
            <dt>Finished</dt>
            <dd>{dateTime(entity.finishedAt)}</dd>
          </div>
        ) : null}
        {entity.awaitingUntil ? (
          <div>
            <dt>Times out</dt>
            <dd>{dateTime(entity.awaitingUntil)}</dd>
          </div>
        ) : null}
        {children}
      </dl>
    </header>
  );
}
