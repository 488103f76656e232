// The container setup, checked without a Docker engine: Compose must accept docker-compose.yml
// (its own `config` command validates and normalises it), and the Dockerfile must keep the
// properties the README promises.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/package-root.js";

interface ComposeService {
  build?: { context: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  ports?: (string | { target: number; published: number | string; host_ip?: string })[];
  volumes?: (string | { type: string; source: string; target: string })[];
  healthcheck?: { test: string[]; interval?: string };
  depends_on?: Record<string, { condition: string }>;
  profiles?: string[];
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

/** `docker-compose` (Compose v1, Debian's package) or `docker compose` (v2), whichever runs. */
function composeCommand(): string[] | undefined {
  if (spawnSync("docker-compose", ["version"], { stdio: "ignore" }).status === 0) return ["docker-compose"];
  if (spawnSync("docker", ["compose", "version"], { stdio: "ignore" }).status === 0) return ["docker", "compose"];
  return undefined;
}

function normalisedCompose(command: string[]): ComposeFile {
  const [bin, ...args] = command;
  const yaml = execFileSync(bin!, [...args, "-f", "docker-compose.yml", "config"], {
    cwd: PACKAGE_ROOT,
    encoding: "utf8",
    env: { ...process.env, API_KEYS: "", LOG_LEVEL: "" },
  });
  // Compose is written in Python (v1) or prints YAML (v2); Python's YAML module comes with v1.
  const json = execFileSync(
    "python3",
    ["-c", "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"],
    {
      input: yaml,
      encoding: "utf8",
    },
  );
  return JSON.parse(json) as ComposeFile;
}

const compose = composeCommand();
const volumeOf = (v: NonNullable<ComposeService["volumes"]>[number]) =>
  typeof v === "string" ? v.split(":").slice(0, 2).join(":") : `${v.source}:${v.target}`;

describe("docker-compose.yml", () => {
  it.skipIf(!compose)("is valid Compose: the service and Studio on one named volume, health-checked", () => {
    const config = normalisedCompose(compose!);
    const byDefault = Object.entries(config.services).filter(([, service]) => !service.profiles);
    expect(byDefault.map(([name]) => name).sort()).toEqual(["casebook", "studio"]);
    expect(Object.keys(config.volumes).sort()).toEqual(["casebook-data", "postgres-data"]);

    const { casebook, studio } = config.services as { casebook: ComposeService; studio: ComposeService };
    expect(casebook.build?.context).toBe(PACKAGE_ROOT);
    expect(casebook.environment).toMatchObject({
      DATABASE_URL: "file:/data/entities.db",
      HOST: "0.0.0.0",
      PORT: "4000",
    });
    expect(casebook.volumes?.map(volumeOf)).toEqual(["casebook-data:/data"]);
    expect(casebook.healthcheck?.test.join(" ")).toMatch(/node .*\/health/);
    expect(JSON.stringify(casebook.ports)).toContain("4000");

    expect(studio.command).toEqual(["npm", "run", "studio"]);
    expect(studio.image).toBe(casebook.image);
    expect(studio.environment).toMatchObject({
      DATABASE_URL: casebook.environment!.DATABASE_URL,
      STUDIO_HOST: "0.0.0.0",
      STUDIO_PORT: "5555",
    });
    expect(studio.volumes?.map(volumeOf)).toEqual(["casebook-data:/data"]);
    expect(JSON.stringify(studio.ports)).toContain("5555");
    expect(studio.depends_on?.casebook?.condition).toBe("service_healthy");
  });

  it.skipIf(!compose)("has a postgres profile: PostgreSQL on a volume, two casebook replicas and Studio on it", () => {
    const config = normalisedCompose(compose!);
    const inProfile = Object.entries(config.services).filter(([, service]) => service.profiles?.includes("postgres"));
    expect(inProfile.map(([name]) => name).sort()).toEqual(["casebook-pg-1", "casebook-pg-2", "postgres", "studio-pg"]);
    const services = config.services;
    const postgres = services.postgres!;
    expect(postgres.image).toMatch(/^postgres:\d+/);
    expect(postgres.volumes?.map(volumeOf)).toEqual(["postgres-data:/var/lib/postgresql/data"]);
    expect(postgres.healthcheck?.test.join(" ")).toContain("pg_isready");

    const replicas = [services["casebook-pg-1"]!, services["casebook-pg-2"]!];
    const url = replicas[0]!.environment!.DATABASE_URL!;
    expect(url).toMatch(/^postgresql:\/\/casebook:[^@]+@postgres:5432\/casebook$/);
    for (const replica of replicas) {
      expect(replica.image).toBe(services.casebook!.image);
      expect(replica.environment).toMatchObject({ DATABASE_URL: url, HOST: "0.0.0.0", PORT: "4000" });
      expect(replica.depends_on?.postgres?.condition).toBe("service_healthy");
      expect(replica.healthcheck?.test.join(" ")).toMatch(/node .*\/health/);
      expect(replica.volumes ?? []).toEqual([]);
    }
    const published = replicas.map((r) => JSON.stringify(r.ports));
    expect(published[0]).toContain("4001");
    expect(published[1]).toContain("4002");

    const studio = services["studio-pg"]!;
    expect(studio.command).toEqual(["npm", "run", "studio"]);
    expect(studio.environment?.DATABASE_URL).toBe(url);
  });

  it.runIf(!compose)(
    "is skipped: neither docker-compose nor `docker compose` is installed (apt-get install docker-compose)",
    () => {
      console.warn(
        "docker-compose.yml not validated: no Compose binary found (install Debian's docker-compose package)",
      );
    },
  );
});

describe("Dockerfile", () => {
  const dockerfile = fs.readFileSync(path.join(PACKAGE_ROOT, "Dockerfile"), "utf8");
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages[stages.length - 1]!;

  it("builds on node:24-bookworm-slim in stages and runs the compiled service", () => {
    expect(dockerfile).toMatch(/^FROM node:24-bookworm-slim AS /m);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(dockerfile).toMatch(/RUN npm ci\b(?!.*--omit)/);
    expect(dockerfile).toContain("RUN npm run build");
    expect(runtime).toMatch(/CMD \["node", "dist\/src\/server\/main\.js"\]/);
  });

  it("runs on the Node line that CI tests besides the machine's own", () => {
    const ci = fs.readFileSync(path.join(PACKAGE_ROOT, ".ci/run"), "utf8");
    const major = /^\.ci\/with-node (\d+)\./m.exec(ci)?.[1];
    expect(major).toBeDefined();
    expect(dockerfile).toMatch(new RegExp(`^FROM node:${major}-`, "m"));
  });

  it("runs with production dependencies only, as a non-root user, with the database on a volume", () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=\S+ \/app\/node_modules/);
    expect(runtime).not.toMatch(/COPY --from=build \/app\/node_modules/);
    const user = /^USER (\S+)/m.exec(runtime)?.[1];
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
    expect(runtime).toMatch(/^VOLUME \["\/data"\]/m);
    expect(runtime).toContain("DATABASE_URL=file:/data/entities.db");
    expect(runtime).toContain("HOST=0.0.0.0");
    expect(runtime).toMatch(/chown node:node \/data/);
  });

  it("has a HEALTHCHECK on /health that needs nothing but node", () => {
    const healthcheck = /^HEALTHCHECK (?:.*\\\n)*.*/m.exec(runtime)?.[0] ?? "";
    expect(healthcheck).toContain('CMD ["node", "-e"');
    expect(healthcheck).toContain("/health");
    expect(healthcheck).not.toMatch(/curl|wget/);
  });

  it("copies into the image only what the build and Studio need (.dockerignore)", () => {
    const ignored = fs
      .readFileSync(path.join(PACKAGE_ROOT, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim());
    for (const entry of ["node_modules", "dist", ".env", "*.db", "data", ".git", "src/generated"])
      expect(ignored).toContain(entry);
    // Everything the Dockerfile copies from the build context exists in the repository.
    for (const [, sources] of dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const source of sources!.split(" "))
        expect(fs.existsSync(path.join(PACKAGE_ROOT, source)), source).toBe(true);
    }
  });
});
