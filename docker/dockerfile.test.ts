import { readFileSync } from "node:fs";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

// No Docker engine runs the image here, so this checks what the image's install path relies on:
// its system packages and native build are the scripts `npm test` itself runs (scripts/setup.sh),
// and `imgflo-server origin` needs only what the Dockerfile copies and `npm install --omit=dev` installs.
const ROOT = new URL("../", import.meta.url);
const dockerfile = readFileSync(new URL("docker/Dockerfile", ROOT), "utf8");
const setupScript = readFileSync(new URL("scripts/setup.sh", ROOT), "utf8");
const packageJson = JSON.parse(readFileSync(new URL("package.json", ROOT), "utf8")) as {
  dependencies: Record<string, string>;
};

function copiedPaths(): string[] {
  return [...dockerfile.matchAll(/^COPY (.+) \S+$/gm)].flatMap((match) =>
    (match[1] ?? "").split(/\s+/),
  );
}

async function originImportGraph(): Promise<{ files: string[]; packages: string[] }> {
  const result = await build({
    entryPoints: [new URL("cli/main.ts", ROOT).pathname],
    absWorkingDir: new URL(".", ROOT).pathname,
    bundle: true,
    platform: "node",
    format: "esm",
    packages: "external",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const packages = new Set<string>();
  for (const input of Object.values(result.metafile.inputs)) {
    for (const imported of input.imports) {
      if (imported.external && !imported.path.startsWith("node:")) {
        const [scope, name] = imported.path.split("/");
        packages.add(scope?.startsWith("@") ? `${scope}/${name}` : (scope ?? ""));
      }
    }
  }
  return { files: Object.keys(result.metafile.inputs), packages: [...packages].sort() };
}

describe("docker/Dockerfile", () => {
  it("installs system packages and builds native code with the scripts npm test runs", () => {
    for (const script of ["docker/install-system-deps.sh", "scripts/build-native.sh"]) {
      expect(dockerfile).toContain(`RUN bash ${script}`);
      expect(setupScript).toContain(`bash ${script}`);
    }
  });

  it("copies every file the CLI and the origin import", async () => {
    const copied = copiedPaths();
    const { files } = await originImportGraph();
    const missing = files.filter(
      (file) => !copied.some((path) => file === path || file.startsWith(`${path}/`)),
    );
    expect(missing).toEqual([]);
    for (const runtimeFolder of ["graphs", "examples"]) expect(copied).toContain(runtimeFolder);
  });

  it("needs no development dependency at run time", async () => {
    const { packages } = await originImportGraph();
    expect(packages.length).toBeGreaterThan(0);
    expect(packages.filter((name) => !(name in packageJson.dependencies))).toEqual([]);
  });
});
