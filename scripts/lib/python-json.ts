// JSON as Python's json.dumps(value, sort_keys=True, indent=2) writes it, which is how TinyDB
// stores its file: keys sorted, non-ASCII escaped (ensure_ascii), floats with a decimal point
// ("0.0"), and NaN/Infinity as bare words.

/** A number Python holds as a float. */
class PyFloat {
  constructor(readonly value: number) {}
}

export const float = (value: number) => new PyFloat(value);

export function pythonJson(value: unknown, indent = 2): string {
  return write(value, indent, 0);
}

function write(value: unknown, indent: number, level: number): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof PyFloat) return floatText(value.value);
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : floatText(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "string") return asciiString(value);
  const pad = " ".repeat(indent * (level + 1));
  const end = " ".repeat(indent * level);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => pad + write(v, indent, level + 1)).join(",\n")}\n${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${pad}${asciiString(k)}: ${write(v, indent, level + 1)}`).join(",\n")}\n${end}}`;
}

function floatText(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Number.POSITIVE_INFINITY) return "Infinity";
  if (n === Number.NEGATIVE_INFINITY) return "-Infinity";
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  const text = String(n);
  // Python writes small numbers as 1e-05 where JavaScript writes 0.00001.
  return text.includes("e") ? text.replace(/e([+-])(\d)$/, "e$10$2") : text;
}

function asciiString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
