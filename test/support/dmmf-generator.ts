// A minimal Prisma generator: Prisma runs it during `prisma generate` and hands it the DMMF of
// the schema, which it writes to `<output>/dmmf.json`. Prisma speaks JSON-RPC to generators:
// requests arrive one per line on stdin, responses go back one per line on stderr.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";

interface Request {
  id: number;
  method: string;
  params: { generator?: { output?: { value?: string } | null }; dmmf?: unknown };
}

function respond(id: number, result: unknown): void {
  process.stderr.write(`${JSON.stringify({ jsonrpc: "2.0", id, result })}\n`);
}

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  const request = JSON.parse(line) as Request;
  if (request.method === "getManifest") {
    respond(request.id, { manifest: { prettyName: "DMMF dump", requiresEngines: [] } });
  } else if (request.method === "generate") {
    const output = request.params.generator?.output?.value;
    if (!output) throw new Error("the dmmf generator needs an output folder");
    fs.mkdirSync(output, { recursive: true });
    fs.writeFileSync(path.join(output, "dmmf.json"), JSON.stringify(request.params.dmmf));
    respond(request.id, null);
  }
});
