// Tells the processes listening for the change feed (pg-change-listener.ts) that changes have
// committed. The NOTIFY goes in a statement of its own once the write has committed, not from the
// writing transaction: a transaction that notifies holds a database-wide lock through its commit,
// WAL flush included, so every writer would wait for every other one. A statement that only
// notifies writes no WAL and holds that lock for a moment.
//
// Notifications are coalesced: while one is on its way, commits only ask for one more after it,
// so a burst of writes costs a couple of notifications, not one each. A listener reads everything
// after the position it holds when woken, so one notification stands for any number of changes.
import type pg from "pg";
import { CHANGE_NOTIFY_SQL } from "./pg-change-log.js";

export class ChangeNotifier {
  private sending: Promise<void> | undefined;
  private again = false;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onError: (error: Error) => void,
  ) {}

  /** Changes have committed: listeners are told soon, once for all that commit meanwhile. */
  committed = (): void => {
    if (this.closed) return;
    if (this.sending) {
      this.again = true;
      return;
    }
    this.sending = this.pool
      .query(CHANGE_NOTIFY_SQL)
      .then(
        () => {},
        (error: Error) => this.onError(error),
      )
      .finally(() => {
        this.sending = undefined;
        if (this.again) {
          this.again = false;
          this.committed();
        }
      });
  };

  /** Sends what commits asked for so far, then no more: before the pool closes. */
  async close(): Promise<void> {
    while (this.sending) await this.sending;
    this.closed = true;
  }
}
