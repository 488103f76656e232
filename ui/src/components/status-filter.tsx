import { useId } from "react";
import { statusLabel } from "../format";
import type { EntityStatus } from "../generated/graphql";
import type { ListFilters } from "../list-variables";

const STATUSES: EntityStatus[] = [
  "STOPPED",
  "IN_PROGRESS",
  "AWAITING",
  "CANCELLING",
  "COMPLETED",
  "FAILED",
  "CANCELLED",
];

/** Narrows a list to one status, or shows every status. */
export function StatusFilter({
  filters,
  onChange,
}: {
  filters: ListFilters;
  onChange: (filters: ListFilters) => void;
}) {
  const id = useId();
  return (
    <div className="filters">
      <label htmlFor={id}>Status</label>
      <select
        id={id}
        value={filters.statuses[0] ?? ""}
        onChange={(event) =>
          onChange({ ...filters, statuses: event.target.value ? [event.target.value as EntityStatus] : [] })
        }
      >
        <option value="">Every status</option>
        {STATUSES.map((status) => (
          <option key={status} value={status}>
            {statusLabel(status)}
          </option>
        ))}
      </select>
    </div>
  );
}
