// A modal question before an action that stops or removes work. The browser's own <dialog>
// keeps focus inside it and closes it on Escape.
import { type ReactNode, useEffect, useId, useRef, useState } from "react";

export interface Confirmed {
  reason: string;
  force: boolean;
}

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  askReason,
  offerForce,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Ask for a reason to keep in the history (events). */
  askReason: boolean;
  /** Ask for "even though it is running" before the button works (deletes of running work). */
  offerForce: boolean;
  onConfirm: (confirmed: Confirmed) => void;
  onClose: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState("");
  const [force, setForce] = useState(false);
  const titleId = useId();
  const reasonId = useId();
  const forceId = useId();
  // Opened once mounted; unmounting removes it, which closes it without a "close" event (closing it
  // here would report a close the person never asked for).
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);
  return (
    <dialog ref={dialog} aria-labelledby={titleId} onClose={onClose} className="confirm">
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm({ reason: reason.trim(), force });
        }}
      >
        <h2 id={titleId}>{title}</h2>
        {children}
        {offerForce ? (
          <p className="checkbox">
            <input id={forceId} type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} />
            <label htmlFor={forceId}>
              Delete it even though it is running (its agents would work on records that are gone)
            </label>
          </p>
        ) : null}
        {askReason ? (
          <p>
            <label htmlFor={reasonId}>Reason (kept in the history)</label>
            <input id={reasonId} type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
          </p>
        ) : null}
        <div className="dialog-buttons">
          <button type="button" onClick={onClose}>
            Keep it
          </button>
          <button type="submit" className="danger" disabled={offerForce && !force}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
