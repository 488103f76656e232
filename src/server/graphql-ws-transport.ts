// graphql-ws's protocol (makeServer) on a `ws` server, as graphql-ws's own `useServer` wires it,
// with two differences that decide how many changes a process can fan out per second:
//
// - A message is handed to the socket without waiting for the previous one to reach the kernel.
//   useServer's send resolves in ws's write callback, and graphql-ws awaits it before taking the
//   subscription's next result: a subscriber with ten changes waiting had them written one event
//   loop turn apart, one system call each. Backpressure does not need that wait: a subscriber
//   whose socket holds more than WS_MAX_BUFFERED_BYTES unsent is closed with 1013 (subscriptions.ts).
// - The messages one turn of the event loop sends on a socket leave in one write: the socket is
//   corked at the first and uncorked once the turn is over. Writes to a loopback or LAN socket cost
//   a system call each, and that call, not building the message, was most of a delivery's cost.
import type http from "node:http";
import type net from "node:net";
import { CloseCode, handleProtocols, makeServer, type ServerOptions } from "graphql-ws";
import WebSocket, { type WebSocketServer } from "ws";
import type { Logger } from "./logger.js";

export interface Extra {
  readonly socket: WebSocket;
  readonly request: http.IncomingMessage;
  /** Writes a message on the socket as graphql-ws's own sends do; false when the socket is not open. */
  readonly send: (data: string) => boolean;
}

export function serveGraphqlWs<P extends Record<string, unknown> | undefined>(
  options: ServerOptions<P, Extra>,
  wss: WebSocketServer,
  keepAliveMs: number,
  logger: Logger,
): { dispose(): Promise<void> } {
  const server = makeServer<P, Extra>(options);
  wss.options.handleProtocols = handleProtocols;
  wss.once("error", (error) => {
    logger.error({ err: error }, "the WebSocket server failed");
    for (const socket of wss.clients) socket.close(CloseCode.InternalServerError, "Internal server error");
  });

  wss.on("connection", (socket, request) => {
    socket.on("error", (error) => {
      logger.warn({ err: error }, "a WebSocket connection failed");
      socket.close(CloseCode.InternalServerError, "Internal server error");
    });
    const stopPinging = keepAliveMs > 0 && Number.isFinite(keepAliveMs) ? pingEvery(socket, keepAliveMs) : () => {};
    const writeOncePerTurn = corkForTheTurn(request.socket);
    const send = (data: string): boolean => {
      if (socket.readyState !== WebSocket.OPEN) return false;
      writeOncePerTurn();
      socket.send(data);
      return true;
    };
    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) => {
          send(data);
        },
        close: (code, reason) => socket.close(code, reason),
        onMessage: (handle) =>
          socket.on("message", async (data) => {
            try {
              await handle(String(data));
            } catch (error) {
              logger.error({ err: error }, "a graphql-ws message could not be handled");
              socket.close(CloseCode.InternalServerError, "Internal server error");
            }
          }),
      },
      { socket, request, send },
    );
    socket.once("close", (code, reason) => {
      stopPinging();
      void closed(code, String(reason));
    });
  });

  return {
    dispose: async () => {
      for (const socket of wss.clients) socket.close(1001, "Going away");
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** Returns a function to call before each write: the first of a turn corks, the turn's end uncorks. */
function corkForTheTurn(raw: net.Socket): () => void {
  let corked = false;
  const uncork = () => {
    corked = false;
    raw.uncork();
  };
  return () => {
    if (corked) return;
    corked = true;
    raw.cork();
    setImmediate(uncork);
  };
}

/** Pings at the interval; a peer that does not answer a ping within the next one is dropped. */
function pingEvery(socket: WebSocket, intervalMs: number): () => void {
  let pongWait: NodeJS.Timeout | undefined;
  const ping = setInterval(() => {
    if (socket.readyState !== WebSocket.OPEN) return;
    pongWait = setTimeout(() => socket.terminate(), intervalMs);
    socket.once("pong", () => {
      clearTimeout(pongWait);
      pongWait = undefined;
    });
    socket.ping();
  }, intervalMs);
  return () => {
    clearInterval(ping);
    clearTimeout(pongWait);
  };
}
