// Why a data movement did not happen, as the CLI reports it (each has its own exit code).

/** The input cannot be used as it is: unreadable, malformed, cut short, or of another schema. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** The operation would lose or mix data, and was not confirmed (a non-empty database, running work). */
export class RefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefusedError";
  }
}
