// What narrows and orders a list: status, running or not, a name search, a creation-day range and
// the order. Search waits for a pause in typing so that each key press is not a request.
import { useEffect, useId, useState } from "react";
import { statusLabel } from "../format";
import type { EntityStatus } from "../generated/graphql";
import { LIST_ORDERS, type ListFilters, type ListOrder, NO_FILTERS } from "../list-variables";

const STATUSES: EntityStatus[] = [
  "STOPPED",
  "IN_PROGRESS",
  "AWAITING",
  "CANCELLING",
  "COMPLETED",
  "FAILED",
  "CANCELLED",
];

/** How long typing must pause before the search is sent. */
const SEARCH_PAUSE_MS = 300;

export function ListFilterBar({
  noun,
  filters,
  onChange,
}: {
  /** What the list holds ("missions"), for the labels. */
  noun: string;
  filters: ListFilters;
  onChange: (filters: ListFilters) => void;
}) {
  const id = useId();
  const [searchText, setSearchText] = useState(filters.search);
  useEffect(() => {
    if (searchText === filters.search) return;
    const timer = setTimeout(() => onChange({ ...filters, search: searchText }), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [searchText, filters, onChange]);
  const change = (patch: Partial<ListFilters>) => onChange({ ...filters, ...patch });
  return (
    <search className="filters" aria-label={`Filter the ${noun}`}>
      <div className="filter">
        <label htmlFor={`${id}-search`}>Search</label>
        <input
          id={`${id}-search`}
          type="search"
          placeholder="Name contains…"
          value={searchText}
          maxLength={200}
          onChange={(event) => setSearchText(event.target.value)}
        />
      </div>
      <div className="filter">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          value={filters.statuses[0] ?? ""}
          onChange={(event) => change({ statuses: event.target.value ? [event.target.value as EntityStatus] : [] })}
        >
          <option value="">Every status</option>
          {STATUSES.map((status) => (
            <option key={status} value={status}>
              {statusLabel(status)}
            </option>
          ))}
        </select>
      </div>
      <div className="filter">
        <label htmlFor={`${id}-running`}>Running</label>
        <select
          id={`${id}-running`}
          value={filters.running === null ? "" : String(filters.running)}
          onChange={(event) => change({ running: event.target.value === "" ? null : event.target.value === "true" })}
        >
          <option value="">Running or not</option>
          <option value="true">Running only</option>
          <option value="false">Not running</option>
        </select>
      </div>
      <div className="filter">
        <label htmlFor={`${id}-from`}>Created from</label>
        <input
          id={`${id}-from`}
          type="date"
          value={filters.createdFrom}
          max={filters.createdTo || undefined}
          onChange={(event) => change({ createdFrom: event.target.value })}
        />
      </div>
      <div className="filter">
        <label htmlFor={`${id}-to`}>Created to</label>
        <input
          id={`${id}-to`}
          type="date"
          value={filters.createdTo}
          min={filters.createdFrom || undefined}
          onChange={(event) => change({ createdTo: event.target.value })}
        />
      </div>
      <div className="filter">
        <label htmlFor={`${id}-order`}>Order</label>
        <select
          id={`${id}-order`}
          value={filters.order}
          onChange={(event) => change({ order: event.target.value as ListOrder })}
        >
          {Object.entries(LIST_ORDERS).map(([order, { label }]) => (
            <option key={order} value={order}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <button
        type="button"
        onClick={() => {
          setSearchText("");
          onChange({ ...NO_FILTERS, order: filters.order });
        }}
      >
        Clear filters
      </button>
    </search>
  );
}
