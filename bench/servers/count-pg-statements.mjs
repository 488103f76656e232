// Loaded with --import into a peer server's process (postgraphile.ts): counts the statements its
// node-postgres clients send (each Client#query call is one statement and one round trip,
// whichever module system loaded pg: its ESM entry re-exports the CommonJS classes) and answers
// the count at http://127.0.0.1:$STATEMENTS_PORT/, so the nested phase can report statements per
// request for a server it did not write. Plain JavaScript: the peer runs without a TypeScript
// loader.
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";

const pg = createRequire(path.join(process.cwd(), "package.json"))("pg");
const query = pg.Client.prototype.query;
let statements = 0;
pg.Client.prototype.query = function countedQuery(...args) {
  statements++;
  return query.apply(this, args);
};

http
  .createServer((_req, res) => res.end(JSON.stringify({ statements })))
  .listen(Number(process.env.STATEMENTS_PORT), "127.0.0.1")
  .unref();
