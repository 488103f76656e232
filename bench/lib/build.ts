// The servers run as compiled JavaScript, as in production (`node dist/...`): start-up time and
// memory then include no TypeScript loader. tsc writes into bench/.data/build (incremental, so
// reruns take seconds); if it cannot, the servers run from source under tsx instead.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../../src/package-root.js";

export const BUILD_DIR = path.join(PACKAGE_ROOT, "bench/.data/build");

export interface BuildResult {
  compiled: boolean;
  seconds: number;
  note?: string;
}

export function buildServers(): BuildResult {
  const started = Date.now();
  const tsc = path.join(PACKAGE_ROOT, "node_modules/typescript/bin/tsc");
  const run = spawnSync(process.execPath, [tsc, "-p", "bench/tsconfig.servers.json"], {
    cwd: PACKAGE_ROOT,
    encoding: "utf8",
  });
  // tsc emits even when some file has a type error; what matters is that the entries exist.
  const entries = [
    "src/server/main.js",
    "bench/servers/bare.js",
    "bench/servers/apollo-floor.js",
    "bench/inprocess.js",
    "bench/layers.js",
  ];
  const compiled = entries.every((entry) => fs.existsSync(path.join(BUILD_DIR, entry)));
  // The migrator finds prisma/migrations relative to its own file.
  const link = path.join(BUILD_DIR, "prisma");
  if (compiled && !fs.existsSync(link)) fs.symlinkSync(path.join(PACKAGE_ROOT, "prisma"), link);
  return {
    compiled,
    seconds: (Date.now() - started) / 1000,
    note:
      run.status === 0
        ? undefined
        : `tsc reported errors: ${(run.stdout || run.stderr).split("\n").slice(0, 3).join(" | ")}`,
  };
}
