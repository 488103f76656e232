// Reads a TinyDB JSON file ({ "<table>": { "<doc id>": { …document… } } }) one document at a
// time, without holding the file in memory: a byte scanner follows strings and nesting, cuts out
// each document's text and parses only that. Structural characters are ASCII, so scanning bytes
// is safe for UTF-8 text.
import fs from "node:fs";
import { InputError } from "../errors.js";

export interface TinyDbDocument {
  table: string;
  docId: string;
  /** The parsed document, or undefined when its text is not JSON (see `error`). */
  value: unknown;
  /** Values JSON has no room for (NaN, Infinity, written by Python's json) were read as null. */
  nonFinite: boolean;
  error?: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;

function isOpen(b: number): boolean {
  return b === 0x7b || b === 0x5b;
}
function isClose(b: number): boolean {
  return b === 0x7d || b === 0x5d;
}
function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export async function* readTinyDb(file: string): AsyncGenerator<TinyDbDocument> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let awaitingValue = false;
  let keyParts: Buffer[] | undefined;
  let keyFrom = 0;
  let key = "";
  let table = "";
  let docId = "";
  let valueParts: Buffer[] | undefined;
  let valueFrom = 0;
  let primitive = false;
  let sawRoot = false;

  const stream = fs.createReadStream(file, { highWaterMark: 1024 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      keyFrom = 0;
      valueFrom = 0;
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === BACKSLASH) escaped = true;
          else if (b === QUOTE) {
            inString = false;
            if (keyParts) {
              keyParts.push(chunk.subarray(keyFrom, i));
              key = decodeKey(Buffer.concat(keyParts));
              keyParts = undefined;
            }
          }
          continue;
        }
        if (valueParts && primitive && depth === 2 && (b === COMMA || isClose(b))) {
          valueParts.push(chunk.subarray(valueFrom, i));
          yield documentOf(table, docId, Buffer.concat(valueParts));
          valueParts = undefined;
        }
        if (b === QUOTE) {
          inString = true;
          if (awaitingValue && depth === 2) startValue(i, true);
          else if (!valueParts && (depth === 1 || depth === 2) && !awaitingValue) {
            keyParts = [];
            keyFrom = i + 1;
          }
          awaitingValue = false;
        } else if (isOpen(b)) {
          if (depth === 0) {
            if (b !== 0x7b || sawRoot)
              throw new InputError("the file is not a TinyDB database: it must hold one JSON object");
            sawRoot = true;
          }
          if (awaitingValue && depth === 1) table = key;
          if (awaitingValue && depth === 2) startValue(i, false);
          awaitingValue = false;
          depth++;
        } else if (isClose(b)) {
          depth--;
          if (depth < 0)
            throw new InputError("the file is not a TinyDB database: a bracket closes what was never opened");
          if (valueParts && !primitive && depth === 2) {
            valueParts.push(chunk.subarray(valueFrom, i + 1));
            yield documentOf(table, docId, Buffer.concat(valueParts));
            valueParts = undefined;
          }
        } else if (b === COLON) {
          if (!valueParts && (depth === 1 || depth === 2)) {
            awaitingValue = true;
            if (depth === 2) docId = key;
          }
        } else if (awaitingValue && !isSpace(b)) {
          if (depth === 2) startValue(i, true);
          else if (depth === 1) throw new InputError(`table "${key}" is not an object of documents`);
          awaitingValue = false;
        } else if (depth === 0 && !isSpace(b)) {
          throw new InputError("the file is not a TinyDB database: it must hold one JSON object");
        }
      }
      if (keyParts) {
        keyParts.push(chunk.subarray(keyFrom));
      }
      if (valueParts) valueParts.push(chunk.subarray(valueFrom));
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new InputError(`no such file: ${file}`);
    if ((error as NodeJS.ErrnoException).code === "EISDIR") throw new InputError(`${file} is a folder, not a file`);
    throw error;
  }
  if (!sawRoot || depth !== 0 || inString) {
    throw new InputError("the file is not a complete TinyDB database (it ends inside its JSON, or holds none)");
  }

  function startValue(at: number, isPrimitive: boolean) {
    valueParts = [];
    valueFrom = at;
    primitive = isPrimitive;
  }
}

function decodeKey(bytes: Buffer): string {
  const text = bytes.toString("utf8");
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return text;
  }
}

function documentOf(table: string, docId: string, bytes: Buffer): TinyDbDocument {
  const text = bytes.toString("utf8").trim();
  try {
    return { table, docId, value: JSON.parse(text), nonFinite: false };
  } catch {
    const sanitized = withoutNonFinite(text);
    try {
      return { table, docId, value: JSON.parse(sanitized), nonFinite: sanitized !== text };
    } catch (error) {
      return { table, docId, value: undefined, nonFinite: false, error: (error as Error).message };
    }
  }
}

/** Python's json writes NaN, Infinity and -Infinity, which JSON has not: read them as null. */
function withoutNonFinite(text: string): string {
  let out = "";
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      out += c;
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    const rest = text.slice(i, i + 9);
    const token = rest.startsWith("-Infinity")
      ? "-Infinity"
      : rest.startsWith("Infinity")
        ? "Infinity"
        : rest.startsWith("NaN")
          ? "NaN"
          : "";
    if (token) {
      out += "null";
      i += token.length - 1;
      continue;
    }
    out += c;
  }
  return out;
}
