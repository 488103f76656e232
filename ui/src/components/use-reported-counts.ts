import { useEffect } from "react";
import type { CountsReport } from "./list-section";
import type { StatusCount } from "./status-counts";

/** Hands a list's status counts (first page only) up to the section that shows them. */
export function useReportedCounts(counts: StatusCount[] | undefined, report: CountsReport): void {
  useEffect(() => {
    if (counts) report(counts);
  }, [counts, report]);
}
