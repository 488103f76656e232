import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";

// The service applies migrations itself (src/db/sqlite/migrator.ts), so the CLI is only needed for
// `generate` and `studio`, which never run the native schema engine. Where no engine was
// downloaded (offline installs), name a stand-in so the CLI does not try to fetch one.
const engineDir = path.resolve("node_modules/@prisma/engines");
const hasSchemaEngine =
  fs.existsSync(engineDir) && fs.readdirSync(engineDir).some((f) => f.startsWith("schema-engine"));
if (!hasSchemaEngine) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve("scripts/no-schema-engine.sh");
}

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/entities.db" },
});
