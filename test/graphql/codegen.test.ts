// test/generated/graphql.ts is committed so that tests run without a codegen step; this fails
// when regenerating it from schema.graphql and test/graphql/*.graphql would change it.
import fs from "node:fs";
import path from "node:path";
import { generate, loadCodegenConfig } from "@graphql-codegen/cli";
import { expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/package-root.js";

const OUTPUT = "test/generated/graphql.ts";

it(`${OUTPUT} is what npm run codegen writes`, async () => {
  const { config } = await loadCodegenConfig({ configFilePath: path.join(PACKAGE_ROOT, "codegen.yml") });
  const files: { filename: string; content: string }[] = await generate(
    { ...config, cwd: PACKAGE_ROOT, silent: true },
    false,
  );
  const generated = files.find((f) => path.resolve(PACKAGE_ROOT, f.filename) === path.join(PACKAGE_ROOT, OUTPUT));
  expect(generated, `codegen.yml generates ${OUTPUT}`).toBeDefined();
  const committed = fs.readFileSync(path.join(PACKAGE_ROOT, OUTPUT), "utf8");
  expect(committed, `${OUTPUT} is out of date: run npm run codegen`).toBe(generated!.content);
});
