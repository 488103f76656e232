// The exit codes of `casebook`, the same for every command (README, "Command line"). 2, 3 and 4
// mean what they mean for the server.
export const EXIT = {
  ok: 0,
  /** Anything unexpected; the message says what. */
  failure: 1,
  /** Unknown command or option, a missing argument, or an invalid setting in the environment. */
  usage: 2,
  /** The database's migrations do not fit this casebook (newer, modified, or left half-applied). */
  schema: 3,
  /** PostgreSQL cannot be reached. */
  unreachable: 4,
  /** Refused to protect data: --yes or --force is missing, or the target database is not empty. */
  refused: 5,
  /** The input cannot be used: unreadable, malformed, cut short, of another schema version, or --strict found problems. */
  badInput: 6,
  /** `migrate --status`: migrations are waiting to be applied. */
  pending: 7,
} as const;
