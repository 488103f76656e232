// Catching the typed errors of the domain.
import { expect } from "vitest";
import { DomainError, type ErrorCode } from "../../src/domain/errors.js";

/** The DomainError `work` rejects with; fails the test if it resolves or throws anything else. */
async function domainError(work: Promise<unknown> | (() => unknown)): Promise<DomainError> {
  try {
    await (typeof work === "function" ? work() : work);
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError, but the call succeeded");
}

/** Asserts the code and that `details` contains `details`. */
export async function expectError(
  work: Promise<unknown> | (() => unknown),
  code: ErrorCode,
  details: Record<string, unknown> = {},
): Promise<DomainError> {
  const error = await domainError(work);
  expect(error.code, error.message).toBe(code);
  expect(error.details).toMatchObject(details);
  return error;
}
