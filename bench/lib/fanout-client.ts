// The fan-out phase's subscribers: the graphql-transport-ws protocol (connection_init, subscribe,
// next, ping/pong) on a plain `ws` socket, and nothing else. The 1,000 subscribers share the
// server's two cores: graphql-ws's own client spends about 9 µs of CPU per message received
// (message validation, sinks, listeners), as much as the server spends sending it, and that
// would measure the clients' load as the server's latency. `--fanout-client=graphql-ws` runs the
// same phase with graphql-ws's client.
import { createClient } from "graphql-ws";
import WebSocket from "ws";

export interface SubscriberEvents<T> {
  connected: () => void;
  next: (data: T) => void;
  failed: (why: string) => void;
}

export type FanoutClientKind = "lean" | "graphql-ws";

/** Subscribes to `query` at `url`; returns a function that closes the subscriber. */
export function subscribe<T>(
  kind: FanoutClientKind,
  url: string,
  query: string,
  events: SubscriberEvents<T>,
): () => void {
  return kind === "lean" ? leanSubscriber(url, query, events) : graphqlWsSubscriber(url, query, events);
}

function leanSubscriber<T>(url: string, query: string, events: SubscriberEvents<T>): () => void {
  const socket = new WebSocket(url, "graphql-transport-ws", { skipUTF8Validation: true });
  let closing = false;
  socket.on("open", () => socket.send(JSON.stringify({ type: "connection_init" })));
  socket.on("message", (data) => {
    const message = JSON.parse(String(data)) as { type: string; payload?: { data?: T; errors?: unknown } };
    switch (message.type) {
      case "next":
        if (message.payload?.errors) events.failed(JSON.stringify(message.payload.errors));
        else events.next(message.payload?.data as T);
        return;
      case "connection_ack":
        events.connected();
        socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }));
        return;
      case "ping":
        socket.send(JSON.stringify({ type: "pong" }));
        return;
      case "error":
      case "complete":
        events.failed(`${message.type} ${JSON.stringify(message.payload ?? null)}`);
    }
  });
  socket.on("error", (error) => events.failed(error.message));
  socket.on("close", (code, reason) => {
    if (!closing) events.failed(`closed ${code} ${String(reason)}`);
  });
  return () => {
    closing = true;
    socket.terminate();
  };
}

function graphqlWsSubscriber<T>(url: string, query: string, events: SubscriberEvents<T>): () => void {
  const client = createClient({ url, webSocketImpl: WebSocket, retryAttempts: 0 });
  client.on("connected", () => events.connected());
  client.subscribe<T>(
    { query },
    {
      next: ({ data, errors }) => (errors ? events.failed(JSON.stringify(errors)) : events.next(data as T)),
      error: (error) => events.failed(describeError(error)),
      complete: () => {},
    },
  );
  return () => void client.dispose();
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  const close = error as { code?: number; reason?: string; type?: string };
  if (typeof close?.code === "number") return `closed ${close.code} ${close.reason ?? ""}`;
  if (close?.type) return close.type;
  return JSON.stringify(error);
}
