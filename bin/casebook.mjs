#!/usr/bin/env node
// `casebook` command. In a checkout (src/ present and tsx installed, as after `npm install`) it
// runs the TypeScript sources, so it needs no build and is never older than the code; in an
// installed copy without them it runs the build in dist/ (`npm run build`).
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const source = path.join(root, "src/cli/main.ts");
const built = path.join(root, "dist/src/cli/main.js");

async function tsxRegister() {
  try {
    return (await import("tsx/esm/api")).register;
  } catch {
    return undefined;
  }
}

const register = fs.existsSync(source) ? await tsxRegister() : undefined;
if (register) {
  register();
  await import(pathToFileURL(source).href);
} else if (fs.existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  process.stderr.write(
    `casebook: not built: run \`npm run build\` in ${root} (or \`npm install\`, which brings tsx)\n`,
  );
  process.exit(1);
}
