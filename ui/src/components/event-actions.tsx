// The lifecycle events that may fire now, as buttons, and deleting the entity. Cancels and deletes
// ask first. Each event is sent with the version shown, so a change made meanwhile by someone else
// is refused (VERSION_CONFLICT) rather than overwritten.
import type { CombinedError } from "@urql/core";
import { useState } from "react";
import { useMutation } from "urql";
import { eventLabel, needsConfirmation, statusLabel } from "../format";
import {
  DeleteCaseDocument,
  DeleteJobDocument,
  DeleteMissionDocument,
  type EntityEvent,
  type EntityStateFragment,
  FireCaseEventDocument,
  FireJobEventDocument,
  FireMissionEventDocument,
} from "../generated/graphql";
import { ConfirmDialog, type Confirmed } from "./confirm-dialog";
import type { EntityKind } from "./entity-kind";
import { ErrorNotice } from "./error-notice";

/** Who the history names as having fired the event. */
const ACTOR = "dashboard";

type Pending = { action: "event"; event: EntityEvent } | { action: "delete" };

export function EventActions({
  kind,
  entity,
  canWrite,
  refresh,
  onDeleted,
}: {
  kind: EntityKind;
  entity: EntityStateFragment;
  /** False in read-only mode (keys configured, none given): the buttons then say why they are off. */
  canWrite: boolean;
  /** Reads the entity again, after a refusal that means the page is out of date. */
  refresh: () => void;
  onDeleted: () => void;
}) {
  const [, fireMission] = useMutation(FireMissionEventDocument);
  const [, fireJob] = useMutation(FireJobEventDocument);
  const [, fireCase] = useMutation(FireCaseEventDocument);
  const [, deleteMission] = useMutation(DeleteMissionDocument);
  const [, deleteJob] = useMutation(DeleteJobDocument);
  const [, deleteCase] = useMutation(DeleteCaseDocument);
  const [pending, setPending] = useState<Pending | undefined>();
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ error?: CombinedError; done?: string } | undefined>();

  async function fire(event: EntityEvent, reason: string) {
    const variables = {
      id: entity.id,
      event,
      options: { actor: ACTOR, reason: reason || null, expectedVersion: entity.version },
    };
    const fireEvent = kind === "Mission" ? fireMission : kind === "Job" ? fireJob : fireCase;
    const result = await fireEvent(variables);
    const data = result.data as Record<string, EntityStateFragment> | undefined;
    const after = data && Object.values(data)[0];
    if (result.error || !after) return settle(result.error);
    setOutcome({ done: `${eventLabel(event)}: now ${statusLabel(after.status)}.` });
  }

  async function remove(force: boolean) {
    const context = { additionalTypenames: [kind] };
    const removeEntity = kind === "Mission" ? deleteMission : kind === "Job" ? deleteJob : deleteCase;
    const result = await removeEntity({ id: entity.id, force }, context);
    if (result.error) return settle(result.error);
    onDeleted();
  }

  function settle(error: CombinedError | undefined) {
    setOutcome(error ? { error } : undefined);
    if (
      error?.graphQLErrors.some((e) =>
        ["VERSION_CONFLICT", "INVALID_TRANSITION", "NOT_FOUND"].includes(String(e.extensions.code)),
      )
    ) {
      refresh();
    }
  }

  async function run(action: Pending, confirmed: Confirmed) {
    setPending(undefined);
    setBusy(true);
    setOutcome(undefined);
    try {
      if (action.action === "event") await fire(action.event, confirmed.reason);
      else await remove(confirmed.force);
    } finally {
      setBusy(false);
    }
  }

  const disabled = busy || !canWrite;
  return (
    <section className="actions" aria-labelledby="actions-heading">
      <h2 id="actions-heading">Actions</h2>
      {canWrite ? null : <p className="muted">Read only: enter an API key (top right) to change anything.</p>}
      <div className="action-buttons">
        {entity.validEvents.length === 0 ? (
          <span className="muted">No event leads out of {statusLabel(entity.status)}.</span>
        ) : null}
        {entity.validEvents.map((event) => (
          <button
            key={event}
            type="button"
            disabled={disabled}
            className={needsConfirmation(event) ? "danger" : undefined}
            onClick={() =>
              needsConfirmation(event)
                ? setPending({ action: "event", event })
                : void run({ action: "event", event }, { reason: "", force: false })
            }
          >
            {eventLabel(event)}
          </button>
        ))}
        <button type="button" className="danger" disabled={disabled} onClick={() => setPending({ action: "delete" })}>
          Delete {kind.toLowerCase()}
        </button>
      </div>
      <div aria-live="polite">
        {outcome?.done ? (
          <p className="notice notice-ok" role="status">
            {outcome.done}
          </p>
        ) : null}
      </div>
      {outcome?.error ? <ErrorNotice error={outcome.error} /> : null}
      {pending ? (
        <ConfirmDialog
          title={
            pending.action === "event"
              ? `${eventLabel(pending.event)} on “${entity.name}”?`
              : `Delete ${kind.toLowerCase()} “${entity.name}”?`
          }
          confirmLabel={pending.action === "event" ? eventLabel(pending.event) : "Delete"}
          askReason={pending.action === "event"}
          offerForce={pending.action === "delete" && entity.isRunning}
          onConfirm={(confirmed) => void run(pending, confirmed)}
          onClose={() => setPending(undefined)}
        >
          <p>
            {pending.action === "delete"
              ? `This removes the ${kind.toLowerCase()}${kind === "Case" ? "" : " with everything under it"} and its history. It cannot be undone.`
              : kind === "Case"
                ? "The agent working on this case is told to stop."
                : `Running work under this ${kind.toLowerCase()} is cancelled with it.`}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
