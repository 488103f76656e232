import { cost } from "../format";
import { type StatusCount, StatusCounts } from "./status-counts";

/** A mission's or job's cases in its header: how many in each status and what they cost. */
export function CaseTotals({ totalCost, counts }: { totalCost: number; counts: StatusCount[] }) {
  return (
    <>
      <div>
        <dt>Cases</dt>
        <dd>
          <StatusCounts counts={counts} label="Cases by status" testId="case-status-counts" />
        </dd>
      </div>
      <div>
        <dt>Cost of its cases</dt>
        <dd data-testid="total-cost">{cost(totalCost)}</dd>
      </div>
    </>
  );
}
