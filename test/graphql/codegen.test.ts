// The typed operations are committed so that tests and the dashboard build without a codegen
// step; this fails when regenerating them from schema.graphql and the operations
// (test/graphql/*.graphql, ui/src/graphql/*.graphql) would change either file.
import fs from "node:fs";
import path from "node:path";
import { generate, loadCodegenConfig } from "@graphql-codegen/cli";
import { beforeAll, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/package-root.js";

const OUTPUTS = ["test/generated/graphql.ts", "ui/src/generated/graphql.ts"];

let files: { filename: string; content: string }[];
beforeAll(async () => {
  const { config } = await loadCodegenConfig({ configFilePath: path.join(PACKAGE_ROOT, "codegen.yml") });
  files = await generate({ ...config, cwd: PACKAGE_ROOT, silent: true }, false);
});

it.each(OUTPUTS)("%s is what npm run codegen writes", (output) => {
  const generated = files.find((f) => path.resolve(PACKAGE_ROOT, f.filename) === path.join(PACKAGE_ROOT, output));
  expect(generated, `codegen.yml generates ${output}`).toBeDefined();
  const committed = fs.readFileSync(path.join(PACKAGE_ROOT, output), "utf8");
  expect(committed, `${output} is out of date: run npm run codegen`).toBe(generated!.content);
});
