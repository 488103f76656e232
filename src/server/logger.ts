// Structured JSON logs; human-readable lines when a developer watches a terminal.
import { pino, type Logger } from "pino";
import type { Config } from "./config.js";

export type { Logger };

export function createLogger(config: Pick<Config, "appEnv" | "logLevel">): Logger {
  const pretty = config.appEnv === "development" && process.stdout.isTTY;
  return pino({
    level: config.logLevel,
    base: { service: "casebook" },
    // Credentials never reach a log line, whatever a caller logs by mistake.
    redact: { paths: ["authorization", "*.authorization", "headers.authorization", "apiKey", "*.apiKey"], censor: "[redacted]" },
    ...(pretty ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname,service" } } } : {}),
  });
}
