// LISTEN for the change feed's notifications on one dedicated connection per process: not from
// the pool (a pooled connection is handed to others, and poolers in transaction mode do not pass
// notifications on). The payload is only a position (the writing process sends it once its write
// has committed: pg-change-notifier.ts); the listener wakes its reader, which reads the rows after
// the position it holds. A connection that fails is replaced, and the reader woken: what was
// notified meanwhile is read then. A writer that stopped between its commit and its notification
// leaves the change unannounced, so the reader is also woken every few seconds regardless.
import pg from "pg";
import type { ChangeWatch } from "../database.js";

const CHANGE_CHANNEL = "casebook_changes";
const RECONNECT_DELAY_MS = 500;
const UNANNOUNCED_CHANGES_WAKE_MS = 2000;

export async function listenForChanges(
  url: string,
  wake: () => void,
  onError: (error: Error) => void,
): Promise<ChangeWatch> {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: "casebook-changes" });
    next.on("notification", () => wake());
    next.on("error", (error) => {
      onError(error);
      reconnectSoon(next);
    });
    next.on("end", () => reconnectSoon(next));
    await next.connect();
    await next.query(`LISTEN ${CHANGE_CHANNEL}`);
    if (closed) {
      await next.end();
      return;
    }
    client = next;
    wake();
  };

  const scheduleReconnect = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error: Error) => {
        onError(error);
        scheduleReconnect();
      });
    }, RECONNECT_DELAY_MS);
    retry.unref();
  };

  const reconnectSoon = (failed: pg.Client) => {
    if (client !== failed) return;
    client = undefined;
    failed.end().catch(() => {});
    scheduleReconnect();
  };

  await connect();
  const regardless = setInterval(wake, UNANNOUNCED_CHANGES_WAKE_MS);
  regardless.unref();
  return {
    close: async () => {
      closed = true;
      clearInterval(regardless);
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
