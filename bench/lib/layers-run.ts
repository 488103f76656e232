// CPU µs per operation in one process, without HTTP, layer by layer (bench/layers.ts): each
// variant in its own child process, in interleaved rounds; the best round of each is kept, as CPU
// time per operation only grows with interference from other processes.
import { spawn } from "node:child_process";
import { PACKAGE_ROOT } from "../../src/package-root.js";
import { rotate } from "./compare.js";
import { nodeEntry } from "./servers.js";

export const LAYER_VARIANTS = [
  "floor-execute",
  "casebook-execute",
  "floor-apollo",
  "casebook-apollo",
  "casebook-server",
];

export interface LayerSettings {
  /** A SQLite file or a PostgreSQL URL. */
  database: string;
  seedInfoFile: string;
  rounds: number;
  operations: number;
  log: (line: string) => void;
}

function layerCpu(variant: string, op: "read" | "event", settings: LayerSettings): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...nodeEntry("bench/layers"), variant, op, settings.database, settings.seedInfoFile],
      {
        cwd: PACKAGE_ROOT,
        env: { ...process.env, NODE_ENV: "production", BENCH_LAYER_OPS: String(settings.operations) },
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      },
    );
    child.on("message", (m: { cpuUsPerOp: number }) => resolve(m.cpuUsPerOp));
    child.on("exit", (code) =>
      code === 0 ? undefined : reject(new Error(`layers ${variant} ${op} exited with ${code}`)),
    );
  });
}

export async function measureLayers(settings: LayerSettings): Promise<Record<string, Record<string, number>>> {
  const layers: Record<string, Record<string, number>> = {};
  for (const op of ["read", "event"] as const) {
    const samples = new Map<string, number[]>(LAYER_VARIANTS.map((v) => [v, []]));
    for (let r = 0; r < settings.rounds; r++) {
      for (const variant of rotate(LAYER_VARIANTS, r))
        samples.get(variant)!.push(await layerCpu(variant, op, settings));
    }
    layers[op] = Object.fromEntries(LAYER_VARIANTS.map((v) => [v, Math.round(Math.min(...samples.get(v)!))]));
    settings.log(`  ${op}: ${LAYER_VARIANTS.map((v) => `${v} ${layers[op]![v]} µs`).join(", ")}`);
  }
  return layers;
}
