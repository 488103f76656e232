// Structured JSON logs; human-readable lines when a developer watches a terminal.
import { type DestinationStream, type Logger, type LoggerOptions, pino } from "pino";
import type { Config } from "./config.js";

export type { Logger };

/** Longest a line waits in the buffer before it is written. */
const LOG_FLUSH_INTERVAL_MS = 200;

export function createLogger(config: Pick<Config, "appEnv" | "logLevel">): Logger {
  const options: LoggerOptions = {
    level: config.logLevel,
    base: { service: "casebook" },
    // Credentials never reach a log line, whatever a caller logs by mistake.
    redact: {
      paths: ["authorization", "*.authorization", "headers.authorization", "apiKey", "*.apiKey"],
      censor: "[redacted]",
    },
  };
  if (config.appEnv === "development" && process.stdout.isTTY) {
    return pino({
      ...options,
      transport: {
        target: "pino-pretty",
        options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" },
      },
    });
  }
  return bufferedLogger(options);
}

// A write per line is a system call per request, which on a server answering one client at a
// time costs more CPU than Apollo's whole pipeline (BENCHMARKS.md). Lines are written in
// blocks instead: when 4 KB have gathered, at most LOG_FLUSH_INTERVAL_MS after a line, at once
// for errors, and at exit (pino flushes on 'exit'; main.ts flushes on shutdown). Only a kill -9
// can lose lines, those of the last LOG_FLUSH_INTERVAL_MS.
function bufferedLogger(options: LoggerOptions): Logger {
  const stdout = bufferedStdout();
  return pino(
    {
      ...options,
      hooks: {
        logMethod(args, method, level) {
          method.apply(this, args);
          stdout.wrote(level >= 50);
        },
      },
    },
    stdout.destination,
  );
}

interface BufferedStdout {
  destination: DestinationStream;
  /** A line went into the buffer; `urgent` writes it out now. */
  wrote(urgent: boolean): void;
}

// One buffer for the process's one stdout, whatever the number of loggers (tests build many).
let shared: BufferedStdout | undefined;

function bufferedStdout(): BufferedStdout {
  if (shared) return shared;
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  let pending = false;
  const flush = () => {
    pending = false;
    try {
      destination.flush();
    } catch {
      // stdout has gone away (a closed pipe): nobody is left to read the lines.
    }
  };
  setInterval(() => pending && flush(), LOG_FLUSH_INTERVAL_MS).unref();
  shared = {
    destination,
    wrote(urgent) {
      pending = true;
      if (urgent) flush();
    },
  };
  return shared;
}
