import { statusLabel } from "../format";
import type { EntityStatus } from "../generated/graphql";

/** A status in words on a colour of its own; the words carry the meaning, the colour helps. */
export function StatusBadge({ status }: { status: EntityStatus }) {
  return <span className={`badge badge-${status.toLowerCase().replaceAll("_", "-")}`}>{statusLabel(status)}</span>;
}
