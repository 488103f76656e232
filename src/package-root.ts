// The folder that holds casebook's package.json, where prisma/ and node_modules/ are too. Code
// runs from src/ under tsx and from dist/src/ once built, so the folder is found by walking up.
import fs from "node:fs";
import path from "node:path";

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(import.meta.dirname);
