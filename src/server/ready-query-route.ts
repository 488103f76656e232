// Answers a query or mutation Apollo has already answered for the same text
// (graphql/ready-queries.ts) without going through Apollo's request pipeline again. That pipeline costs more than a large
// nested read itself: hashing the text, plugin hooks awaited one by one, header maps, response
// objects, and the garbage all of it leaves behind (BENCHMARKS.md, "Nested reads").
//
// Only what is known to end as Apollo would end it is answered here; anything else is left to
// Apollo before a byte is written: another body shape, an Accept header Apollo has not answered
// yet, a missing key, a cost over the limit (they depend on the request), and any result with
// errors (Apollo answers those from the result computed here, see `answer`).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ExecutionResult } from "graphql";
import type { ReadyQueries } from "../graphql/ready-queries.js";
import { bearerToken, createKeyCheck } from "./auth.js";
import type { Config } from "./config.js";
import { CostCache } from "./query-limits.js";
import { elapsedMs, type RequestLogWriter } from "./request-log-plugin.js";

export interface ReadyQueryRouteOptions {
  queries: ReadyQueries;
  auth: Pick<Config, "apiKeys" | "requireAuthForQueries">;
  maxCost: number;
  log: RequestLogWriter;
}

interface QueryBody {
  query: string;
  operationName: string | null;
  variables: Record<string, unknown>;
}

// One entry per distinct Accept header clients send; a bound keeps odd clients from growing it.
const MAX_KNOWN_ACCEPT_HEADERS = 100;

export class ReadyQueryRoute {
  private readonly costs = new CostCache();
  /** Whether a request's key lets it run a query, or a mutation (auth.ts's rule). */
  private readonly queryKeyCheck: ((presented: string | undefined) => boolean) | undefined;
  private readonly mutationKeyCheck: ((presented: string | undefined) => boolean) | undefined;
  /** The content type Apollo answered a query with, by the request's Accept header ("" when none). */
  private readonly contentTypes = new Map<string, string>();
  private answers = 0;

  constructor(private readonly options: ReadyQueryRouteOptions) {
    const { apiKeys, requireAuthForQueries } = options.auth;
    // Mutations need a key whenever there are keys; queries only when every operation does.
    this.mutationKeyCheck = apiKeys.length > 0 ? createKeyCheck(apiKeys) : undefined;
    this.queryKeyCheck = requireAuthForQueries ? this.mutationKeyCheck : undefined;
  }

  /** How many requests this route has answered. */
  get answered(): number {
    return this.answers;
  }

  /** Remembers the content type Apollo chose for a successful POST, as content negotiation is its. */
  learn(req: IncomingMessage, status: number | undefined, contentType: string | undefined): void {
    if (req.method !== "POST" || (status ?? 200) !== 200 || contentType === undefined) return;
    const accept = req.headers.accept ?? "";
    if (this.contentTypes.has(accept) || this.contentTypes.size >= MAX_KNOWN_ACCEPT_HEADERS) return;
    this.contentTypes.set(accept, contentType);
  }

  /**
   * Answers the request (`answered`), or leaves it to Apollo having written nothing. When the
   * query ran and met errors, Apollo gets its `context`, which carries the result
   * (ReadyQueries.handOver): the errors are answered as Apollo answers any, and nothing runs twice.
   */
  async answer<TContext extends { requestId: string }>(
    req: IncomingMessage,
    res: ServerResponse,
    body: unknown,
    createContext: () => Promise<TContext>,
  ): Promise<{ answered: true } | { answered: false; context?: TContext }> {
    const started = process.hrtime.bigint();
    const notHere = { answered: false } as const;
    // Apollo's CSRF check lets a JSON body through; other content types are Apollo's to judge.
    if (!isJsonContentType(req.headers["content-type"])) return notHere;
    const contentType = this.contentTypes.get(req.headers.accept ?? "");
    const request = contentType === undefined ? undefined : queryBody(body);
    if (!request) return notHere;
    const ready = this.options.queries.find(request.query, request.operationName);
    if (!ready) return notHere;
    const { schema, document, operation, runAgain } = ready;
    const keyCheck = operation.operation === "query" ? this.queryKeyCheck : this.mutationKeyCheck;
    if (keyCheck && !keyCheck(bearerToken(req.headers.authorization))) return notHere;
    if (this.costs.costOf(schema, document, operation, request.variables) > this.options.maxCost) return notHere;

    const context = await createContext();
    const result: ExecutionResult = await runAgain(context, request.variables);
    if (result.errors !== undefined || !result.data) {
      // No data at all: the variables were refused before anything ran (nothing was written), and
      // graphql-js must say so in its own words (compiled-executor.ts); Apollo runs it from the
      // start. Anything else ran, and must not run again: Apollo answers from this result.
      if (result.data === undefined) return notHere;
      this.options.queries.handOver(context, result);
      return { answered: false, context };
    }

    res.statusCode = 200;
    res.setHeader("content-type", contentType as string);
    // Apollo's own serialisation of a result with data only (runHttpQuery's prettyJSONStringify).
    res.end(`${JSON.stringify({ data: result.data })}\n`);
    this.answers++;
    this.options.log({
      requestId: context.requestId,
      operationName: operation.name?.value ?? null,
      operationType: operation.operation,
      durationMs: elapsedMs(started),
    });
    return { answered: true };
  }
}

/** The body of a plain POST of one operation, or undefined for anything Apollo must judge. */
function queryBody(body: unknown): QueryBody | undefined {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return undefined;
  let query: unknown;
  let operationName: unknown = null;
  let variables: unknown = {};
  for (const key in body) {
    const value = (body as Record<string, unknown>)[key];
    if (key === "query") query = value;
    else if (key === "operationName") operationName = value ?? null;
    else if (key === "variables") variables = value ?? {};
    // `extensions` (persisted queries and the like) and anything unknown go to Apollo.
    else return undefined;
  }
  if (typeof query !== "string") return undefined;
  if (operationName !== null && typeof operationName !== "string") return undefined;
  if (typeof variables !== "object" || variables === null || Array.isArray(variables)) return undefined;
  return { query, operationName, variables: variables as Record<string, unknown> };
}

function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const semicolon = header.indexOf(";");
  return (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase() === "application/json";
}
