// The one place the GraphQL client is made: HTTP for queries and mutations, graphql-ws on the
// same path for subscriptions. Both carry the API key, as a bearer token on HTTP and in the
// connection_init payload on the socket. The socket opens only when a subscription starts.
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "@urql/core";
import { createClient as createSocketClient } from "graphql-ws";

export interface ClientOptions {
  apiKey: string | undefined;
  /** Told whether the live connection is up, so the page can say "reconnecting". */
  onSocketState?: (state: "connected" | "reconnecting") => void;
}

const GRAPHQL_PATH = "/graphql";

export function createGraphQLClient({ apiKey, onSocketState }: ClientOptions): Client {
  const authorization = apiKey ? `Bearer ${apiKey}` : undefined;
  const socketUrl = new URL(GRAPHQL_PATH, window.location.href);
  socketUrl.protocol = socketUrl.protocol === "https:" ? "wss:" : "ws:";
  const sockets = createSocketClient({
    url: socketUrl.href,
    lazy: true,
    retryAttempts: Number.POSITIVE_INFINITY,
    connectionParams: () => (authorization ? { authorization } : {}),
    on: {
      connected: () => onSocketState?.("connected"),
      closed: () => onSocketState?.("reconnecting"),
    },
  });
  return new Client({
    url: GRAPHQL_PATH,
    // Lists and details are asked for again after a mutation that returns their type.
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: sockets.subscribe({ ...request, query: request.query ?? "" }, sink) }),
        }),
      }),
    ],
    // POST with a JSON body: Apollo's CSRF protection refuses a simple GET from a browser.
    preferGetMethod: false,
    fetchOptions: (): RequestInit => (authorization ? { headers: { authorization } } : {}),
    requestPolicy: "cache-and-network",
  });
}
