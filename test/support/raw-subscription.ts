// A subscription over the graphql-transport-ws protocol on a plain `ws` socket, for tests that
// must control the socket itself: stop reading it (a slow consumer), or watch how it closes.
import WebSocket from "ws";

export interface RawSubscription {
  socket: WebSocket;
  /** The socket's close code once it closes (1006 when it failed without a close frame). */
  closed: Promise<number>;
  /** Stops reading the socket (the kernel's buffers fill), and reads again. */
  pauseReading(): void;
  resumeReading(): void;
}

/** Connects, waits for connection_ack, then subscribes as id "1". */
export async function openRawSubscription(
  url: string,
  query: string,
  variables: Record<string, unknown>,
): Promise<RawSubscription> {
  const socket = new WebSocket(url, "graphql-transport-ws");
  const closed = new Promise<number>((resolve) => {
    socket.on("close", (code) => resolve(code));
    socket.on("error", () => resolve(1006));
  });
  await new Promise((resolve) => socket.on("open", resolve));
  socket.send(JSON.stringify({ type: "connection_init" }));
  await new Promise((resolve) => socket.once("message", resolve));
  socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query, variables } }));
  // ws keeps the net.Socket it reads from private; pausing it is what a stalled peer does.
  const raw = (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return { socket, closed, pauseReading: () => raw.pause(), resumeReading: () => raw.resume() };
}
