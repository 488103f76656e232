import { json } from "../format";

/** A JSON value as readable, indented text; nothing at all when there is no value. */
export function JsonBlock({ label, value }: { label: string; value: unknown }) {
  if (value === null || value === undefined) return null;
  if (typeof value === "object" && Object.keys(value).length === 0) return null;
  return (
    <section className="json-block" aria-label={label}>
      <h3>{label}</h3>
      <pre>{json(value)}</pre>
    </section>
  );
}
