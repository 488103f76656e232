// Serves /graphql through Apollo on Node's own http: body read with a limit, JSON parsed here
// so malformed input gets a clear 400, everything else decided by Apollo.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type ApolloServer, HeaderMap } from "@apollo/server";
import { BodyTooLargeError, readBody } from "./http-body.js";
import type { ReadyQueryRoute } from "./ready-query-route.js";

export interface GraphQLRouteOptions<TContext extends { requestId: string }> {
  apollo: ApolloServer<TContext>;
  context: (req: IncomingMessage) => Promise<TContext>;
  bodyLimitBytes: number;
  /** Answers queries Apollo has answered before without its pipeline; absent, Apollo does all. */
  readyQueries?: ReadyQueryRoute;
}

export async function serveGraphQL<TContext extends { requestId: string }>(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  options: GraphQLRouteOptions<TContext>,
): Promise<void> {
  let body: unknown;
  // A context the ready route created and left a result in for Apollo to answer.
  let context: TContext | undefined;
  if (req.method === "POST") {
    let text: string;
    try {
      text = await readBody(req, options.bodyLimitBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendError(res, 413, "PAYLOAD_TOO_LARGE", error.message);
      // The client hung up, or REQUEST_TIMEOUT_MS cut it off (Node has answered 408): nobody is
      // left to answer, and it is no server error to log.
      if (req.destroyed) return;
      throw error;
    }
    const contentType = req.headers["content-type"] ?? "";
    if (contentType.includes("json")) {
      try {
        body = text.length === 0 ? undefined : JSON.parse(text);
      } catch {
        return sendError(res, 400, "BAD_REQUEST", "request body is not valid JSON");
      }
    } else {
      body = text;
    }
    if (options.readyQueries) {
      const outcome = await options.readyQueries.answer(req, res, body, () => options.context(req));
      if (outcome.answered) return;
      context = outcome.context;
    }
  }

  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
    context: () => (context ? Promise.resolve(context) : options.context(req)),
  });

  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  options.readyQueries?.learn(req, response.status, response.headers.get("content-type"));
  if (response.body.kind === "complete") {
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json; charset=utf-8");
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
