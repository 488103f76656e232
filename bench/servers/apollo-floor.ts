// Baseline "Apollo floor": Apollo Server 5 with its defaults and a type-graphql schema declaring
// the same slice of casebook's schema (same types, arguments and input types), served on
// node:http the way src/server/graphql-route.ts does it. Resolvers run the same SQL as casebook
// straight on the driver of the engine DATABASE_URL names (better-sqlite3 or node-postgres): no
// services, no loaders, no records. What casebook costs above this is what its own layers cost.
import http from "node:http";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { openBaselineData } from "./baseline-data.js";
import { floorNestedResolvers } from "./floor-nested.js";
import { buildFloorSchema } from "./floor-schema.js";

const data = await openBaselineData();
const apollo = new ApolloServer({ schema: await buildFloorSchema(data, floorNestedResolvers(data.nested)) });
await apollo.start();

const server = http.createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost");
  if (url.pathname === "/health") {
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.end('{"status":"ok"}');
    return;
  }
  // Statements of the nested reads run so far: the benchmark reads it before and after a request.
  if (url.pathname === "/statements") {
    res.setHeader("content-type", "application/json; charset=utf-8");
    res.end(JSON.stringify({ statements: data.nested.statementsExecuted }));
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const text = Buffer.concat(chunks).toString("utf8");
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    apollo
      .executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: req.method ?? "GET",
          headers,
          search: url.search,
          body: text ? JSON.parse(text) : undefined,
        },
        context: async () => ({}),
      })
      .then((response) => {
        for (const [name, value] of response.headers) res.setHeader(name, value);
        res.statusCode = response.status ?? 200;
        if (response.body.kind === "complete") res.end(response.body.string);
        else res.end();
      })
      .catch((error: unknown) => {
        res.statusCode = 500;
        res.end(JSON.stringify({ errors: [{ message: (error as Error).message }] }));
      });
  });
});

server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1");
process.on("SIGTERM", () => {
  server.close();
  server.closeAllConnections();
  void Promise.resolve(data.close()).finally(() => process.exit(0));
});
