// Opaque cursors: base64url of a JSON tuple. Callers only ever hand back what they were given;
// anything else is refused as bad input rather than silently starting from the top.
import { BadUserInputError } from "../domain/errors.js";

export function encodeCursor(parts: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts), "utf8").toString("base64url");
}

export function decodeCursor<T extends readonly (string | number)[]>(
  cursor: string,
  shape: readonly ("string" | "number")[],
  field = "after",
): T {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parts = undefined;
  }
  const valid =
    Array.isArray(parts) && parts.length === shape.length && parts.every((part, i) => typeof part === shape[i]);
  if (!valid) throw new BadUserInputError(`"${field}" is not a cursor from this list`, field);
  return parts as unknown as T;
}
