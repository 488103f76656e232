// The one place the GraphQL client is made: HTTP for queries and mutations, graphql-ws on the
// same path for subscriptions. Both carry the API key, as a bearer token on HTTP and in the
// connection_init payload on the socket. The socket opens only when a subscription starts.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "@urql/core";
import { createClient as createSocketClient, type Sink, type Client as SocketClient } from "graphql-ws";

export type SocketState = "connected" | "reconnecting";

export interface ClientOptions {
  apiKey: string | undefined;
  /** Told whether the live connection is up, so the page can say "reconnecting". */
  onSocketState?: (state: SocketState) => void;
}

const GRAPHQL_PATH = "/graphql";
/** After the server ends a subscription (it is shutting down, 1001), how long before following again. */
const RESUBSCRIBE_AFTER_MS = 1_000;
/** The close code of a connection_init whose key the server refused. */
const KEY_REFUSED = 4403;
/** The longest wait between two attempts to reach a server that is away. */
const MAX_RETRY_WAIT_MS = 5_000;

export function createGraphQLClient({ apiKey, onSocketState }: ClientOptions): Client {
  const authorization = apiKey ? `Bearer ${apiKey}` : undefined;
  const socketUrl = new URL(GRAPHQL_PATH, window.location.href);
  socketUrl.protocol = socketUrl.protocol === "https:" ? "wss:" : "ws:";
  const sockets = createSocketClient({
    url: socketUrl.href,
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    // A browser reports a server that is down as an error event before the close: retry that too
    // (graphql-ws by default retries close events only, and would end the subscription). A key the
    // server refused (4403) stays refused: the page says so over HTTP; a new key makes a new client.
    shouldRetry: (closeOrError) => closeCode(closeOrError) !== KEY_REFUSED,
    // graphql-ws doubles its wait without bound; a dashboard should be back soon after its server.
    retryWait: (retries) =>
      new Promise((resolve) =>
        setTimeout(resolve, Math.min(MAX_RETRY_WAIT_MS, 250 * 2 ** retries) + Math.random() * 250),
      ),
    connectionParams: () => (authorization ? { authorization } : {}),
    on: {
      connected: () => onSocketState?.("connected"),
      // 1000 is a close the page asked for (the last subscription ended, or the key changed):
      // nothing to reconnect. Any other close (the server went away, the network dropped) is
      // followed by attempts to reconnect until one succeeds.
      closed: (event) => {
        const code = closeCode(event);
        if (code !== 1000 && code !== KEY_REFUSED) onSocketState?.("reconnecting");
      },
    },
  });
  return new Client({
    url: GRAPHQL_PATH,
    // Lists and details are asked for again after a mutation that returns their type.
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({ forwardSubscription: (request) => resumable(sockets, request) }),
    ],
    // POST with a JSON body: Apollo's CSRF protection refuses a simple GET from a browser.
    preferGetMethod: false,
    fetchOptions: (): RequestInit => (authorization ? { headers: { authorization } } : {}),
    requestPolicy: "cache-and-network",
  });
}

type Request = Parameters<Parameters<typeof subscriptionExchange>[0]["forwardSubscription"]>[0];
type Result = Parameters<Sink["next"]>[0];

/**
 * A subscription that follows a cursor: each result's `cursor` (of its one top-level field)
 * becomes the `after` it is asked for again with, both when graphql-ws re-sends it on a new
 * socket after a drop and when the server ended it (a restart) and it is started once more. So
 * a reconnect resumes after the last change received: nothing missed, nothing twice.
 */
function resumable(sockets: SocketClient, request: Request) {
  return {
    subscribe(sink: Sink<Result>) {
      const variables: Record<string, unknown> = { ...request.variables };
      // graphql-ws serialises this payload each time it sends it, so a reconnect sends the latest `after`.
      const payload = { ...request, query: request.query ?? "", variables };
      let stopped = false;
      let stop: (() => void) | undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const follow = () => {
        stop = sockets.subscribe<Record<string, unknown>>(payload, {
          next: (result) => {
            const cursor = cursorOf(result.data);
            if (cursor !== undefined && "after" in variables) variables.after = cursor;
            sink.next(result);
          },
          error: (error) => {
            stopped = true;
            sink.error(error);
          },
          complete: () => {
            if (!stopped) timer = setTimeout(follow, RESUBSCRIBE_AFTER_MS);
          },
        });
      };
      follow();
      return {
        unsubscribe() {
          stopped = true;
          clearTimeout(timer);
          stop?.();
        },
      };
    },
  };
}

function cursorOf(data: Record<string, unknown> | null | undefined): string | undefined {
  const field = data ? Object.values(data)[0] : undefined;
  const cursor = typeof field === "object" && field !== null ? (field as { cursor?: unknown }).cursor : undefined;
  return typeof cursor === "string" ? cursor : undefined;
}

function closeCode(event: unknown): number | undefined {
  return typeof event === "object" && event !== null && "code" in event ? Number(event.code) : undefined;
}
