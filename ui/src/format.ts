// How values read on screen: statuses and events in words, times in the reader's locale, costs
// to the millionth the server keeps.
import type { EntityEvent, EntityStatus } from "./generated/graphql";

export function statusLabel(status: EntityStatus): string {
  return words(status);
}

export function eventLabel(event: EntityEvent): string {
  return words(event);
}

function words(name: string): string {
  const text = name.toLowerCase().replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const DATE_TIME = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });

export function dateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : DATE_TIME.format(date);
}

const COST = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 6 });

export function cost(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : COST.format(value);
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Events that stop work: the page asks before firing them. */
export function needsConfirmation(event: EntityEvent): boolean {
  return event === "CANCEL_REQUESTED" || event === "CANCEL_WHILE_WAITING" || event === "CANCEL_CONFIRMED";
}
