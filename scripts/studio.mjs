// `npm run studio`: Prisma Studio on the database the service uses (see src/server/studio.ts).
// From a checkout it runs the TypeScript source through tsx; in the production image, which
// holds only the compiled output and production dependencies, it runs dist/.
import "dotenv/config";
import fs from "node:fs";

const source = new URL("../src/server/studio.ts", import.meta.url);
const compiled = new URL("../dist/src/server/studio.js", import.meta.url);

let studio;
if (fs.existsSync(source)) {
  const { tsImport } = await import("tsx/esm/api");
  studio = await tsImport(source.href, import.meta.url);
} else if (fs.existsSync(compiled)) {
  studio = await import(compiled.href);
} else {
  process.stderr.write(
    "casebook studio: neither src/server/studio.ts nor dist/src/server/studio.js exists; run npm run build\n",
  );
  process.exit(1);
}
process.exit(await studio.runStudio());
