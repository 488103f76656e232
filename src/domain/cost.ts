// Costs are kept as whole millionths of a unit (micro-units). Integers add exactly: 1,000 steps of
// 0.01 make 10, where binary floating point made 9.999999999999831. The maximum keeps every total
// a safe integer in JavaScript (2^53 ≈ 9.007e15 micro-units) and in a BIGINT column, so no sum can
// lose digits or overflow to Infinity. GraphQL keeps costs as Float in units; they are converted
// at that edge, and a micro-unit count divided by a million reads back as the decimal it stands for.

const MICROS_PER_UNIT = 1_000_000;

/** The largest cost of one step, and the largest total of one case, in units. */
export const MAX_COST = 1_000_000_000;

export const MAX_COST_MICROS = MAX_COST * MICROS_PER_UNIT;

/**
 * The cost in micro-units, rounded to the nearest millionth, or undefined when it is not a finite
 * number from 0 to MAX_COST.
 */
export function costToMicros(cost: number): number | undefined {
  if (!Number.isFinite(cost) || cost < 0 || cost > MAX_COST) return undefined;
  return Math.round(cost * MICROS_PER_UNIT);
}

export function microsToCost(micros: number): number {
  return micros / MICROS_PER_UNIT;
}
