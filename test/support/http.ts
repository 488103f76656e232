// A real casebook server on a free loopback port over a fresh database of the run's engine
// (engine.ts: a temporary SQLite file, or a new PostgreSQL database), and a small GraphQL client
// that speaks to it with fetch. Typed documents give typed `data`.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type GraphQLFormattedError, print } from "graphql";
import { type App, createApp } from "../../src/server/app.js";
import { loadConfig } from "../../src/server/config.js";
import { createEngineDatabase } from "./engine.js";

export interface GraphQLResponse<TData> {
  status: number;
  headers: Headers;
  /** The parsed JSON body. */
  body: { data?: TData | null; errors?: GraphQLFormattedError[] };
  data: TData | null | undefined;
  errors: GraphQLFormattedError[] | undefined;
}

export interface TestServer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:43123/graphql. */
  url: string;
  /** http://127.0.0.1:43123, for other routes. */
  origin: string;
  app: App;
  request<TData = Record<string, unknown>, TVariables = Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables> | string,
    variables?: TVariables,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<TData>>;
  /** Closes the server and its database, and removes the database. */
  stop(): Promise<void>;
}

export async function startTestServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const database = await createEngineDatabase("casebook-http-");
  const config = loadConfig({
    APP_ENV: "test",
    DATABASE_URL: database.url,
    PORT: "0",
    HOST: "127.0.0.1",
    ...overrides,
  });
  const app = await createApp(config);
  const url = await app.listen();
  return {
    url,
    origin: new URL(url).origin,
    app,
    request: requester(url),
    async stop() {
      await app.close();
      await database.drop();
    },
  };
}

/** TestServer.request for the GraphQL endpoint at `url`. */
export function requester(url: string): TestServer["request"] {
  return async (document, variables, headers = {}) => {
    const query = typeof document === "string" ? document : print(document);
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ query, variables: variables ?? {} }),
    });
    return parseResponse(response);
  };
}

export async function parseResponse<TData>(response: Response): Promise<GraphQLResponse<TData>> {
  const text = await response.text();
  let body: GraphQLResponse<TData>["body"];
  try {
    body = JSON.parse(text) as GraphQLResponse<TData>["body"];
  } catch {
    throw new Error(`HTTP ${response.status}: response is not JSON: ${text.slice(0, 500)}`);
  }
  return { status: response.status, headers: response.headers, body, data: body.data, errors: body.errors };
}

/** The data of a response that must have succeeded; fails with the errors otherwise. */
export function dataOf<TData>(response: GraphQLResponse<TData>): TData {
  if (response.errors?.length || response.data == null) {
    throw new Error(`expected data, got HTTP ${response.status}: ${JSON.stringify(response.body)}`);
  }
  return response.data;
}

/** The single error of a response that must have failed. */
export function errorOf(response: GraphQLResponse<unknown>): GraphQLFormattedError {
  const errors = response.errors ?? [];
  if (errors.length !== 1)
    throw new Error(`expected one error, got HTTP ${response.status}: ${JSON.stringify(response.body)}`);
  return errors[0]!;
}
