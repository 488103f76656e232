// The live side of the change feed in one process: one reader follows the feed by position and
// hands each change to every subscriber whose filter takes it (one query per wake-up, not one
// per subscriber). A subscriber that starts from a cursor first replays the log from there; it
// is registered before it replays, so what commits meanwhile waits in its queue, and changes it
// already replayed are dropped by position: no gap and no duplicate at the seam.
import type { ChangeWatch, Database } from "../db/database.js";
import type { Store } from "../db/store.js";
import { type ChangeFilter, type ChangeRecord, changeMatches } from "../domain/changes.js";

const READ_BATCH = 500;
const READ_RETRY_MS = 1000;

/** Why a subscription ended early: its consumer fell too far behind. */
class SubscriberTooSlowError extends Error {
  constructor() {
    super("the subscriber did not keep up with the changes sent to it; resume from the last cursor it received");
    this.name = "SubscriberTooSlowError";
  }
}

export interface SubscribeOptions {
  /** Resume after this position, replaying the log first (the feed's end for "from now on"). */
  after: number;
  filter: ChangeFilter;
  /** Changes a subscriber may have waiting before it is ended as too slow. */
  maxQueued: number;
  /** Whether the consumer's transport is backed up (a socket's unsent bytes over a bound). */
  isBackedUp?: () => boolean;
  /** Called once when the subscriber is ended as too slow (the transport closes itself then). */
  onTooSlow?: () => void;
  /**
   * Subscribers of one group do the same work for a change (one execution of one document):
   * the hub has it done once per change and group (`prepareWith`) before handing changes out.
   */
  group?: string;
  /**
   * Takes a change at once, without waking the consumer, when the consumer is waiting and the
   * change's work is done (its message written); true when taken. The fast path of fan-out.
   */
  deliverReady?: (change: ChangeRecord) => boolean;
}

/** Does the work a group's subscribers need for these changes, before the hub hands them out. */
export type PrepareChanges = (work: ReadonlyMap<string, ReadonlySet<ChangeRecord>>) => Promise<void>;

class Subscriber implements AsyncIterableIterator<ChangeRecord> {
  /** Changes ready for the consumer, in position order. */
  private readonly queue: ChangeRecord[] = [];
  /** While replaying: live changes, held until the replay has caught up with them. */
  private held: ChangeRecord[] | undefined;
  private waiting:
    | { resolve: (result: IteratorResult<ChangeRecord>) => void; reject: (error: Error) => void }
    | undefined;
  private drained: (() => void) | undefined;
  private ended = false;
  private failure: Error | undefined;
  /** The last position handed to the queue. */
  private through = 0;

  constructor(
    private readonly options: SubscribeOptions,
    private readonly onEnd: (subscriber: Subscriber) => void,
  ) {
    this.held = [];
    this.through = options.after;
  }

  /** Whether a change read live is one this subscriber will take. */
  takes(change: ChangeRecord): boolean {
    return !this.ended && changeMatches(change, this.options.filter);
  }

  get group(): string | undefined {
    return this.options.group;
  }

  /** A change the hub read live. */
  offer(change: ChangeRecord): void {
    if (!this.takes(change)) return;
    if (this.held) {
      if (this.held.length >= this.options.maxQueued) this.fail(new SubscriberTooSlowError());
      else this.held.push(change);
      return;
    }
    this.push(change);
  }

  /** Changes read from the log after the starting cursor; resolves when the consumer has taken most of them. */
  async replayed(changes: readonly ChangeRecord[]): Promise<void> {
    for (const change of changes) this.push(change);
    if (this.queue.length > 0 && !this.ended) await new Promise<void>((resolve) => (this.drained = resolve));
  }

  /** Replay is over: the live changes held meanwhile follow, those replayed already dropped. */
  live(): void {
    const held = this.held ?? [];
    this.held = undefined;
    for (const change of held) this.push(change);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  private push(change: ChangeRecord): void {
    if (this.ended || change.seq <= this.through) return;
    if (this.queue.length >= this.options.maxQueued || this.options.isBackedUp?.()) {
      this.fail(new SubscriberTooSlowError());
      return;
    }
    this.through = change.seq;
    if (this.waiting) {
      if (this.options.deliverReady?.(change)) return;
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value: change, done: false });
    } else {
      this.queue.push(change);
    }
  }

  fail(error: Error): void {
    if (this.ended) return;
    if (error instanceof SubscriberTooSlowError) this.options.onTooSlow?.();
    this.failure = error;
    this.queue.length = 0;
    this.end();
    this.waiting?.reject(error);
    this.waiting = undefined;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.held = undefined;
    this.drained?.();
    this.onEnd(this);
  }

  next(): Promise<IteratorResult<ChangeRecord>> {
    const change = this.queue.shift();
    if (change) {
      if (this.queue.length === 0) this.drained?.();
      return Promise.resolve({ value: change, done: false });
    }
    this.drained?.();
    if (this.failure) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<ChangeRecord>> {
    this.queue.length = 0;
    this.end();
    this.waiting?.resolve({ value: undefined, done: true });
    this.waiting = undefined;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<ChangeRecord> {
    return this;
  }
}

export class ChangeHub {
  private readonly subscribers = new Set<Subscriber>();
  /** The last position read and handed out. */
  private position = 0;
  private reading: Promise<void> | undefined;
  private again = false;
  private watch: ChangeWatch | undefined;
  private prepare: PrepareChanges | undefined;
  private retry: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Follows the feed from its current end, woken as `db` tells. */
  async start(db: Database, pollIntervalMs: number): Promise<void> {
    this.position = (await this.store.changes.bounds()).latest;
    this.watch = await db.watchChanges(() => this.wake(), { pollIntervalMs, onError: this.onError });
  }

  /** What to run for each group's changes between reading them and handing them out. */
  prepareWith(prepare: PrepareChanges): void {
    this.prepare = prepare;
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  /**
   * Reads what was appended since the last read; a wake-up during a read makes it read again. A
   * process with no subscriber reads nothing.
   */
  wake(): void {
    if (this.subscribers.size === 0) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readNew()
      .catch((error: unknown) => {
        this.onError(error);
        this.retryLater();
      })
      .finally(() => {
        this.reading = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /**
   * A read that failed (the database busy or unreachable) is tried again after a while: a wake-up
   * comes only with the next commit, and the changes it failed to read must not wait for one.
   */
  private retryLater(): void {
    if (this.retry || this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.wake();
    }, READ_RETRY_MS);
    this.retry.unref();
  }

  private async readNew(): Promise<void> {
    for (;;) {
      const changes = await this.store.changes.list(this.position, READ_BATCH);
      if (this.prepare && changes.length > 0) await this.prepare(this.workOf(changes));
      for (const change of changes) {
        this.position = change.seq;
        for (const subscriber of this.subscribers) subscriber.offer(change);
      }
      if (changes.length < READ_BATCH) return;
    }
  }

  /** For each group, the changes at least one of its subscribers takes. */
  private workOf(changes: readonly ChangeRecord[]): Map<string, Set<ChangeRecord>> {
    const work = new Map<string, Set<ChangeRecord>>();
    for (const subscriber of this.subscribers) {
      const group = subscriber.group;
      if (group === undefined) continue;
      let taken = work.get(group);
      if (taken?.size === changes.length) continue;
      for (const change of changes) {
        if (!subscriber.takes(change)) continue;
        if (!taken) {
          taken = new Set();
          work.set(group, taken);
        }
        taken.add(change);
      }
    }
    return work;
  }

  /**
   * The changes after `options.after`: replayed from the log, then live. The caller checks the
   * cursor first (ChangeFeedService.resumePoint).
   */
  subscribe(options: SubscribeOptions): AsyncIterableIterator<ChangeRecord> {
    const following = this.subscribers.size > 0;
    // After a time without subscribers the reader's position is behind: what the first new one
    // needs from the log, it replays itself, so the reader may start where it starts.
    if (!following) this.position = Math.max(this.position, options.after);
    const subscriber = new Subscriber(options, (s) => this.subscribers.delete(s));
    this.subscribers.add(subscriber);
    if (options.after >= this.position) {
      // Nothing to replay: the reader has handed out nothing after the subscriber's start, and
      // hands it what comes next. (Most subscribers start at the feed's end: a thousand starting
      // together cost no query each.) A reader that was not following reads once now, for what
      // committed while it was not.
      subscriber.live();
      if (!following) this.wake();
    } else {
      void this.replay(subscriber, options.after, options.filter);
    }
    return subscriber;
  }

  private async replay(subscriber: Subscriber, after: number, filter: ChangeFilter): Promise<void> {
    try {
      let from = after;
      for (;;) {
        const changes = await this.store.changes.list(from, READ_BATCH, filter);
        await subscriber.replayed(changes);
        if (subscriber.isEnded) return;
        if (changes.length > 0) from = changes.at(-1)!.seq;
        if (changes.length < READ_BATCH) break;
      }
      subscriber.live();
    } catch (error) {
      subscriber.fail(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Ends every subscription and stops following the feed. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    await this.watch?.close();
    for (const subscriber of [...this.subscribers]) void subscriber.return();
    await this.reading;
  }
}
