// Tells the processes listening for the change feed (pg-change-listener.ts) that changes have
// committed. The NOTIFY goes in a statement of its own once the write has committed, not from the
// writing transaction: a transaction that notifies holds a database-wide lock through its commit,
// WAL flush included, so every writer would wait for every other one. A statement that only
// notifies writes no WAL and holds that lock for a moment.
//
// Notifications are coalesced: a commit while one is on its way asks for one more, sent a few
// milliseconds after it, for all that commit meanwhile. A lone write is announced at once; a
// stream of writes costs at most one notification per NOTIFY_INTERVAL_MS, not one each (each is a
// statement, and wakes every listener). A listener reads everything after the position it holds
// when woken, so one notification stands for any number of changes.
import type pg from "pg";
import { CHANGE_NOTIFY_SQL } from "./pg-change-log.js";

const NOTIFY_INTERVAL_MS = 5;

export class ChangeNotifier {
  private sending: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private next: NodeJS.Timeout | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Changes have committed: listeners are told soon, once for all that commit meanwhile. */
  committed = (): void => {
    if (this.closed) return;
    if (this.sending || this.next) {
      this.again = true;
      return;
    }
    this.send();
  };

  private send(): void {
    this.sending = this.pool
      .query(CHANGE_NOTIFY_SQL)
      .then(
        () => {},
        (error: Error) => this.onError(error),
      )
      .finally(() => {
        this.sending = undefined;
        if (!this.again) return;
        if (this.closed) {
          this.again = false;
          this.send();
          return;
        }
        this.next = setTimeout(() => {
          this.next = undefined;
          // This one announces every commit so far, those that asked while it waited included.
          this.again = false;
          this.send();
        }, NOTIFY_INTERVAL_MS);
      });
  }

  /** Sends what commits asked for so far, then no more: before the pool closes. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.next) {
      clearTimeout(this.next);
      this.next = undefined;
      this.again = false;
      this.send();
    }
    while (this.sending) await this.sending;
  }
}
