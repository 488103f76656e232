// The casebook command as a real process (bin/casebook.mjs, as `npx casebook` runs it), run in a
// folder of its own so that no .env of the checkout applies.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PACKAGE_ROOT } from "../../src/package-root.js";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = path.join(PACKAGE_ROOT, "bin/casebook.mjs");
const WORKDIR = fs.mkdtempSync(path.join(os.tmpdir(), "casebook-cli-"));

export function runCli(args: readonly string[], env: Record<string, string> = {}, stdin?: string): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: WORKDIR,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", APP_ENV: "test", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin.end(stdin ?? "");
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
