// Writes schema.graphql from the resolver classes. Run after changing the GraphQL types:
//   npm run schema:print
import fs from "node:fs";
import path from "node:path";
import { buildCasebookSchema, printCasebookSchema } from "../src/graphql/schema.js";
import { PACKAGE_ROOT } from "../src/package-root.js";

const target = path.join(PACKAGE_ROOT, "schema.graphql");
fs.writeFileSync(target, printCasebookSchema(await buildCasebookSchema()));
console.log(`wrote ${path.relative(process.cwd(), target)}`);
