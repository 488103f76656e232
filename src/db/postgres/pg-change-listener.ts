// LISTEN for the change feed's notifications on one dedicated connection per process: not from
// the pool (a pooled connection is handed to others, and poolers in transaction mode do not pass
// notifications on). The payload is only the position (the migration's trigger sends it at
// commit); the listener wakes its reader, which reads the rows after the position it holds. A
// connection that fails is replaced, and the reader woken: what was notified meanwhile is read then.
import pg from "pg";
import type { ChangeWatch } from "../database.js";

const CHANGE_CHANNEL = "casebook_changes";
const RECONNECT_DELAY_MS = 500;

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
  return {
    close: async () => {
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
