// README.md promises what the code does: the lifecycle diagram, every setting with its default,
// the npm scripts and the files it names. (Its commands run in shutdown.test.ts.)
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { lifecycleMermaid } from "../../src/domain/lifecycle.js";
import { PACKAGE_ROOT } from "../../src/package-root.js";

const readme = fs.readFileSync(path.join(PACKAGE_ROOT, "README.md"), "utf8");
const configSource = fs.readFileSync(path.join(PACKAGE_ROOT, "src/server/config.ts"), "utf8");

/** `| \`NAME\` | default | meaning |` rows of the configuration table. */
function configurationRows(): Map<string, string> {
  const section = readme.split("\n## Configuration\n")[1]!.split(/\n## /)[0]!;
  const rows = new Map<string, string>();
  for (const [, name, defaults] of section.matchAll(/^\| `([A-Z_]+)` \| ([^|]*) \|/gm))
    rows.set(name!, defaults!.trim());
  return rows;
}

/** Every variable loadConfig reads, with its default when the source states it as a literal. */
function configVariables(): Map<string, string | undefined> {
  const variables = new Map<string, string | undefined>();
  for (const [, kind, name, rest] of configSource.matchAll(
    /\b(integer|text|boolean|oneOf|list)\(env, "([A-Z_]+)"(.*)\)/g,
  )) {
    const args = rest!.split(",").map((a) => a.trim().replace(/\)+;?$/, ""));
    const literal =
      kind === "integer" || kind === "text" || kind === "boolean"
        ? args[1]
        : kind === "oneOf"
          ? args[args.length - 1]
          : undefined;
    const value =
      literal && /^("[^"]*"|[\d_]+|true|false)$/.test(literal)
        ? literal.replace(/"/g, "").replace(/_/g, "")
        : undefined;
    variables.set(name!, value);
  }
  if (/env\.DATABASE_URL/.test(configSource)) variables.set("DATABASE_URL", undefined);
  return variables;
}

describe("README.md", () => {
  it("shows the lifecycle diagram the lifecycle query returns", () => {
    const block = /```mermaid\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(block).toBe(lifecycleMermaid());
  });

  it("documents every configuration variable with the default the code uses", () => {
    const rows = configurationRows();
    const variables = configVariables();
    expect(variables.size).toBeGreaterThanOrEqual(20);
    expect([...rows.keys()].sort()).toEqual([...variables.keys()].sort());
    for (const [name, value] of variables) {
      if (value === undefined) continue;
      expect(rows.get(name), `README default of ${name}`).toMatch(new RegExp(`^\`${value}\``));
    }
  });

  it("names only npm scripts that exist", () => {
    const scripts = Object.keys(
      (
        JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as {
          scripts: Record<string, string>;
        }
      ).scripts,
    );
    const named = [...readme.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]!);
    expect(named.length).toBeGreaterThan(3);
    for (const script of named) expect(scripts, `npm run ${script}`).toContain(script);
  });

  it("links only to files that exist", () => {
    for (const [, target] of readme.matchAll(/\]\(((?!https?:)[^)#]+)\)/g)) {
      expect(fs.existsSync(path.join(PACKAGE_ROOT, target!)), target).toBe(true);
    }
  });

  it("maps the folders that exist", () => {
    const map = /```text\n(src\/domain\/[\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const folders = [...map.matchAll(/^(\S+\/)/gm)].map((m) => m[1]!);
    expect(folders).toEqual(
      expect.arrayContaining([
        "src/domain/",
        "src/db/",
        "src/services/",
        "src/graphql/",
        "src/server/",
        "prisma/",
        "test/",
      ]),
    );
    for (const folder of folders) expect(fs.existsSync(path.join(PACKAGE_ROOT, folder)), folder).toBe(true);
  });
});
