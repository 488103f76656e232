// Runs bench/inprocess.ts in a child process (casebook alone in it, nothing of the load
// generator) and returns the JSON it prints.
import { spawn } from "node:child_process";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { nodeEntry } from "./servers.js";

export function runInprocess(
  mode: "nplus1" | "roundtrips" | "scale" | "nested",
  database: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeEntry("bench/inprocess"), mode, database, ...extra], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, NODE_ENV: "production", ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString("utf8")));
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`inprocess ${mode} exited with ${code}`));
      resolve(JSON.parse(out.trim().split("\n").at(-1)!));
    });
  });
}
