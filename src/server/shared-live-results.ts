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

interface Entry {
  readonly result: Promise<SharedResult>;
  /** The result once the execution is done: what a subscriber's message can be written from at once. */
  settled?: SharedResult;
  readonly until: number;
}

export class SharedLiveResults {
  /**
   * key → position → the result of executing that key's document for that change. By key first:
   * a key holds a whole printed document, and a lookup per subscriber and change should not hash
   * it joined to a position each time.
   */
  private readonly results = new Map<string, Map<number, Entry>>();
  /** For each key with subscribers, the execution arguments of one of them (any will do: see above). */
  private readonly keys = new Map<string, { args: ExecutionArgs; subscribers: number }>();
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
    this.keyTaken(key, args);
    const end = () => {
      if (ended) return;
      ended = true;
      results.keyLeft(key);
    };
    const done = (): Promise<IteratorResult<ExecutionResult>> => Promise.resolve({ value: undefined, done: true });
    return {
      async next() {
        for (;;) {
          let step: IteratorResult<ChangeRecord>;
          try {
            step = await source.next();
          } catch (error) {
            end();
            throw error;
          }
          if (step.done) end();
          if (ended) return { value: undefined, done: true };
          const { result, json } = await results.resultOf(args, key, step.value);
          // A subscription completed meanwhile sends nothing more.
          if (ended) return { value: undefined, done: true };
          if (json === undefined || !write(json)) return { value: result, done: false };
        }
      },
      async return() {
        end();
        await source.return?.();
        return done();
      },
      async throw(error: unknown) {
        end();
        await source.return?.();
        throw error;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
      async [Symbol.asyncDispose]() {
        end();
        await source.return?.();
      },
    };
  }

  private resultOf(args: ExecutionArgs, key: string, change: ChangeRecord): Promise<SharedResult> {
    const now = Date.now();
    let ofKey = this.results.get(key);
    if (!ofKey) {
      ofKey = new Map();
      this.results.set(key, ofKey);
    }
    const shared = ofKey.get(change.seq);
    if (shared && shared.until > now) return shared.result;
    const result = new Promise<ExecutionResult>((resolve) => resolve(execute({ ...args, rootValue: change })))
      .catch(
        (error: unknown): ExecutionResult => ({
          errors: [error instanceof GraphQLError ? error : new GraphQLError(String(error))],
        }),
      )
      // graphql-ws writes a result without errors as JSON.stringify writes it: the same bytes.
      .then((result): SharedResult => {
        const shared = { result, json: result.errors ? undefined : JSON.stringify(result) };
        entry.settled = shared;
        return shared;
      });
    const entry: Entry = { result, until: now + SHARE_FOR_MS };
    ofKey.set(change.seq, entry);
    return result;
  }

  /**
   * Executes each key's document for the changes its subscribers take, before the hub hands the
   * changes out (ChangeHub.prepareWith): the subscribers then find their messages ready.
   */
  async prepare(work: ReadonlyMap<string, ReadonlySet<ChangeRecord>>): Promise<void> {
    const executions: Promise<SharedResult>[] = [];
    for (const [key, changes] of work) {
      const args = this.keys.get(key)?.args;
      if (args) for (const change of changes) executions.push(this.resultOf(args, key, change));
    }
    await Promise.all(executions);
  }

  /**
   * Writes a subscriber's message for a change from a result already done and without errors;
   * false when there is none (the subscriber's iterator takes the change then).
   */
  writeReady(key: string, change: ChangeRecord, write: WriteNext): boolean {
    const entry = this.results.get(key)?.get(change.seq);
    const json = entry?.settled?.json;
    if (json === undefined || entry!.until <= Date.now()) return false;
    return write(json);
  }

  private keyTaken(key: string, args: ExecutionArgs): void {
    const known = this.keys.get(key);
    if (known) known.subscribers++;
    else this.keys.set(key, { args, subscribers: 1 });
  }

  private keyLeft(key: string): void {
    const known = this.keys.get(key);
    if (known && --known.subscribers === 0) this.keys.delete(key);
  }

  private forgetExpired(now: number): void {
    for (const [key, ofKey] of this.results) {
      for (const [seq, entry] of ofKey) if (entry.until <= now) ofKey.delete(seq);
      if (ofKey.size === 0) this.results.delete(key);
    }
  }

  close(): void {
    clearInterval(this.sweep);
    this.results.clear();
    this.keys.clear();
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
