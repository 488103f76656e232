// Cases and steps as casebook stored them before costs became micro-units (floating-point units
// in "totalCost" and "cost"), including the damage the old code could do: a total of Infinity
// from two steps of 1.7e308. The migration tests on both engines write these, migrate, and
// expect what OLD_COSTS_MIGRATED says.

/** The migration that turns costs into micro-units; the tests apply everything before it first. */
export const COST_MIGRATION = "20261129160000_cost_micros";

export const OLD_CASES: { id: string; totalCost: number }[] = [
  // 0.1 + 0.2 in binary floating point: 0.30000000000000004.
  { id: "c-tenths", totalCost: 0.1 + 0.2 },
  { id: "c-infinite", totalCost: Number.POSITIVE_INFINITY },
  { id: "c-huge", totalCost: 1e300 },
  { id: "c-zero", totalCost: 0 },
];

export const OLD_STEPS: { caseId: string; index: number; cost: number | null }[] = [
  { caseId: "c-tenths", index: 0, cost: 0.1 },
  { caseId: "c-tenths", index: 1, cost: 0.2 },
  { caseId: "c-tenths", index: 2, cost: null },
  { caseId: "c-infinite", index: 0, cost: 1.7e308 },
  { caseId: "c-infinite", index: 1, cost: 1.7e308 },
];

/** The case as an idempotent START_WORK left it, as the old code kept it for retries. */
export const OLD_SNAPSHOT = {
  id: "c-tenths",
  name: "case",
  status: "IN_PROGRESS",
  version: 1,
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:01.000Z",
  finishedAt: null,
  metadata: {},
  jobId: "j-old",
  description: null,
  totalCost: 0.1 + 0.2,
  finalDelivery: null,
};

export const OLD_COSTS_MIGRATED = {
  cases: { "c-tenths": 300_000, "c-infinite": 1e15, "c-huge": 1e15, "c-zero": 0 } as Record<string, number>,
  steps: [100_000, 200_000, null, 1e15, 1e15],
  snapshotTotalCostMicros: 300_000,
};
