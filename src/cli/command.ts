// What each command of `casebook` declares: its options (node:util parseArgs), its help, and
// what it does. Commands print results on stdout and progress and errors on stderr.
import type { ParseArgsConfig } from "node:util";

type Options = NonNullable<ParseArgsConfig["options"]>;

interface ParsedArgs {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  /** One line for the list of commands. */
  summary: string;
  /** The full help: usage, arguments, options, what it prints. */
  help: string;
  options: Options;
  /** Positional arguments: how many at least and at most. */
  positionals: { min: number; max: number };
  run(args: ParsedArgs): Promise<number>;
}

/** A failure the user can act on: one line on stderr and this exit code, no stack trace. */
export class CliFailure extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "CliFailure";
  }
}
