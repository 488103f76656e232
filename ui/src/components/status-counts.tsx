// How many entities are in each status: a list's (everything its filters match, not just the
// pages shown) or a mission's or job's cases.
import type { EntityStatus } from "../generated/graphql";
import { StatusBadge } from "./status-badge";

export interface StatusCount {
  status: EntityStatus;
  count: number;
}

export function StatusCounts({ counts, label, testId }: { counts: StatusCount[]; label: string; testId?: string }) {
  if (counts.length === 0) return <span className="muted">none</span>;
  return (
    <ul className="status-counts" aria-label={label} data-testid={testId}>
      {counts.map(({ status, count }) => (
        <li key={status} data-status={status}>
          <StatusBadge status={status} /> <span className="count">{count}</span>
        </li>
      ))}
    </ul>
  );
}
