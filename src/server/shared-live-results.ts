// One execution of a subscription document per change, shared by every subscriber that sent the
// same document, operation name and variables. graphql-js's `subscribe` would execute the
// document once per change per subscriber: with 1,000 subscribers of one document that is 1,000
// identical executions (each reading the entity through loaders of its own) for every write.
//
// Sharing is sound because nothing in a subscription's result depends on who asked: the API key
// only decides whether a connection may subscribe at all (onConnect), and the context carries no
// identity. Nor does it depend on the root field's arguments (`after`, `filter`): they choose which
// changes reach a subscriber (in the hub, per subscriber), not what a change reads. So the key is
// the document without those arguments, the operation name and the variables the rest still uses:
// subscribers that resume from different cursors or filter differently share one execution.
//
// A result is kept for a short while only: a subscriber that takes the same change later (one
// replaying from an older cursor) gets a fresh execution, so `entity` stays "as it is now".
//
// The bytes are shared too: a result without errors is serialised once, and each subscriber's
// message is that JSON with its own subscription id around it, written to its socket directly
// (`write`), instead of going through graphql-ws's per-subscriber message building and
// JSON.stringify of the whole result. A result with errors takes graphql-ws's path (its errors are
// formatted per subscriber).
import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  GraphQLError,
  Kind,
  type OperationDefinitionNode,
  print,
  visit,
} from "graphql";
import type { ChangeRecord } from "../domain/changes.js";

/** How long an execution's result is handed to further subscribers of the same key and change. */
const SHARE_FOR_MS = 250;

/** A shared execution's result, and its JSON when it has no errors (serialised once for all). */
interface SharedResult {
  readonly result: ExecutionResult;
  readonly json: string | undefined;
}

/**
 * Writes a result's JSON as a `next` message of this subscription to its socket; false when it
 * cannot (the socket is closing), and the result then takes graphql-ws's path.
 */
export type WriteNext = (payloadJson: string) => boolean;

export class SharedLiveResults {
  /** `key \0 position` → the result of executing that key's document for that change. */
  private readonly results = new Map<string, { result: Promise<SharedResult>; until: number }>();
  private readonly sweep: NodeJS.Timeout;

  constructor() {
    this.sweep = setInterval(() => this.forgetExpired(Date.now()), SHARE_FOR_MS);
    this.sweep.unref();
  }

  /**
   * The subscription's source stream (the hub's changes), each change mapped to the result shared
   * by every subscriber of `key`. Errors of the subscribe step (a bad or expired cursor) come back
   * as an ExecutionResult, as graphql-js's `subscribe` returns them.
   */
  async subscribe(
    args: ExecutionArgs,
    key: string,
    write: WriteNext,
  ): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterator(source)) return source as ExecutionResult;
    return this.mapped(source as AsyncIterator<ChangeRecord>, args, key, write);
  }

  /**
   * The results graphql-ws sends (those with errors); results without errors are written here
   * and the iterator moves on to the next change without yielding.
   */
  private mapped(
    source: AsyncIterator<ChangeRecord>,
    args: ExecutionArgs,
    key: string,
    write: WriteNext,
  ): AsyncGenerator<ExecutionResult> {
    const results = this;
    let ended = false;
    const done = (): Promise<IteratorResult<ExecutionResult>> => Promise.resolve({ value: undefined, done: true });
    return {
      async next() {
        for (;;) {
          const step = await source.next();
          if (step.done || ended) return { value: undefined, done: true };
          const { result, json } = await results.resultOf(args, key, step.value);
          // A subscription completed meanwhile sends nothing more.
          if (ended) return { value: undefined, done: true };
          if (json === undefined || !write(json)) return { value: result, done: false };
        }
      },
      async return() {
        ended = true;
        await source.return?.();
        return done();
      },
      async throw(error: unknown) {
        ended = true;
        await source.return?.();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
      async [Symbol.asyncDispose]() {
        await source.return?.();
      },
    };
  }

  private resultOf(args: ExecutionArgs, key: string, change: ChangeRecord): Promise<SharedResult> {
    const now = Date.now();
    const entryKey = `${key}\0${change.seq}`;
    const shared = this.results.get(entryKey);
    if (shared && shared.until > now) return shared.result;
    const result = new Promise<ExecutionResult>((resolve) => resolve(execute({ ...args, rootValue: change })))
      .catch(
        (error: unknown): ExecutionResult => ({
          errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))],
        }),
      )
      // graphql-ws writes a result without errors as JSON.stringify writes it: the same bytes.
      .then((result): SharedResult => ({ result, json: result.errors ? undefined : JSON.stringify(result) }));
    this.results.set(entryKey, { result, until: now + SHARE_FOR_MS });
    return result;
  }

  private forgetExpired(now: number): void {
    for (const [key, entry] of this.results) if (entry.until <= now) this.results.delete(key);
  }

  close(): void {
    clearInterval(this.sweep);
    this.results.clear();
  }
}

function isAsyncIterator(value: unknown): boolean {
  return typeof (value as AsyncIterator<unknown> | undefined)?.next === "function";
}

/**
 * What makes two subscriptions' results for one change the same: the document with the root
 * field's arguments left out, the operation's name, and the values of the variables still used.
 */
export function shareKey(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | null | undefined,
): string {
  const rootFields = new Set(operation.selectionSet.selections.filter((s) => s.kind === Kind.FIELD));
  const withoutRootArguments = visit(document, {
    Field: (node) => (rootFields.has(node) ? { ...node, arguments: [] } : undefined),
  });
  const used = new Set<string>();
  visit(withoutRootArguments, {
    VariableDefinition: () => false,
    Variable: (node) => {
      used.add(node.name.value);
    },
  });
  const values = Object.entries(variables ?? {})
    .filter(([name]) => used.has(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([print(withoutRootArguments), operation.name?.value ?? null, values]);
}
