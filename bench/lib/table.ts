// Markdown tables of the bench's figures, shared by every phase's report.

/** A number with `digits` decimals and thousands separators; "–" for a missing value. */
export function fmt(v: number | null | undefined, digits = 0): string {
  return v === null || v === undefined || Number.isNaN(v)
    ? "–"
    : v.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** A Markdown table: the first column left-aligned, the others (figures) right-aligned. */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${head.join(" | ")} |`,
    `|---|${head
      .slice(1)
      .map(() => "---:")
      .join("|")}|`,
    ...rows.map((row) => `| ${row.join(" | ")} |`),
  ];
}
