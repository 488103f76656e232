// How the pool reads timestamptz values. node-postgres parses each with postgres-date: three
// regular expressions, a match array and its strings per value, which a nested read with
// transitions pays thousands of times (BENCHMARKS.md, "Nested reads"). In a session whose
// TimeZone is UTC PostgreSQL writes every ordinary instant in one shape,
// `YYYY-MM-DD HH:MM:SS[.ffffff]+00`, read here by position into the same Date; any other text
// (another time zone, infinity, BC, a year of five digits) goes to node-postgres's own parser.
import pg from "pg";

const TIMESTAMPTZ_OID = 1184;
const generalParser = pg.types.getTypeParser(TIMESTAMPTZ_OID, "text") as (text: string) => Date | number | null;

const ZERO = 48;

/** The value of `length` decimal digits of `text` from `at`, or NaN if any is not a digit. */
function digits(text: string, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

function isUtcInstant(text: string): boolean {
  const n = text.length;
  return (
    n >= 22 &&
    text.charCodeAt(4) === 45 && // -
    text.charCodeAt(7) === 45 &&
    text.charCodeAt(10) === 32 && // space
    text.charCodeAt(13) === 58 && // :
    text.charCodeAt(16) === 58 &&
    text.charCodeAt(n - 3) === 43 && // +
    text.charCodeAt(n - 2) === ZERO &&
    text.charCodeAt(n - 1) === ZERO &&
    (n === 22 || (text.charCodeAt(19) === 46 && n <= 29)) // . and 1 to 6 digits
  );
}

/** A timestamptz as node-postgres gives it (a Date, or ±Infinity for infinity). */
export function parseTimestamptz(text: string): Date | number | null {
  if (!isUtcInstant(text)) return generalParser(text);
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  const hour = digits(text, 11, 2);
  const minute = digits(text, 14, 2);
  const second = digits(text, 17, 2);
  const fraction = text.length === 22 ? 0 : digits(text, 20, text.length - 23);
  if (Number.isNaN(year + month + day + hour + minute + second + fraction) || year < 100) {
    return generalParser(text);
  }
  // As postgres-date computes it, 1000 × the fraction (which Date.UTC truncates to whole ms): a
  // quotient of two exact integers is rounded as parseFloat rounds the same decimal.
  const ms = text.length === 22 ? 0 : 1000 * (fraction / 10 ** (text.length - 23));
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
}

/** The pool's type parsers: node-postgres's, but timestamptz read as above. */
export const pgTypeParsers: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === TIMESTAMPTZ_OID && format !== "binary"
      ? parseTimestamptz
      : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig["getTypeParser"],
};
