// The processes of a private PostgreSQL server (test/support/postgres.ts), for a fault no SQL can
// cause: a server that stops answering without closing anything (SIGSTOP: a hung host, a network
// that drops packets). Linux only: reads /proc.
import fs from "node:fs";
import path from "node:path";
import type { EmbeddedPostgresServer } from "../postgres.js";

/** The postmaster's pid, from the first line of postmaster.pid in the server's data folder. */
function postmasterPid(server: EmbeddedPostgresServer): number {
  const text = fs.readFileSync(path.join(server.directory, "data", "postmaster.pid"), "utf8");
  return Number(text.split("\n")[0]);
}

/** The postmaster and every process it started (backends, checkpointer, WAL writer, …). */
function serverPids(server: EmbeddedPostgresServer): number[] {
  const root = postmasterPid(server);
  const children = fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // stat: "pid (comm) state ppid …"; comm may hold spaces, so read after the last ")".
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === root;
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
  return [root, ...children];
}

/**
 * Freezes the whole server: connections stay open, nothing is answered, new connections are
 * accepted by the kernel and never greeted. Returns the thaw.
 */
export function freeze(server: EmbeddedPostgresServer): () => void {
  const pids = serverPids(server);
  for (const pid of pids) process.kill(pid, "SIGSTOP");
  return () => {
    for (const pid of pids) {
      try {
        process.kill(pid, "SIGCONT");
      } catch {
        // Exited while stopped (cannot happen to a stopped process, but a thaw must not throw).
      }
    }
  };
}
