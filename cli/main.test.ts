import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { splitProcessingUrl } from "../shared/processing-request.ts";
import { verifyToken } from "../shared/signature.ts";
import type { CliIo } from "./command.ts";
import { main } from "./main.ts";

const VECTOR =
  "http://localhost:8787/graph/k1/ad1e5aa542c6036d3f9ea6dc32d51e4d/gradientmap.jpg?color1=%230A2A2F&color2=%23FDE7A0&height=200&input=https%3A%2F%2Fexample.com%2Fa.jpg";

async function run(argv: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env };
  const code = await main(argv, io);
  return { code, stdout: out.join(""), stderr: err.join("") };
}

const VECTOR_ARGS = [
  "url",
  "gradientmap",
  "--input",
  "https://example.com/a.jpg",
  "--color1",
  "#0A2A2F",
  "--color2=#FDE7A0",
  "--height",
  "200",
];

describe("imgflo-server url", () => {
  it("prints the contract's test vector", async () => {
    const result = await run([
      ...VECTOR_ARGS,
      "--server",
      "http://localhost:8787/",
      "--key",
      "k1",
      "--secret",
      "s3cr3t",
    ]);
    expect(result).toEqual({ code: 0, stdout: `${VECTOR}\n`, stderr: "" });
  });

  it("takes server, key and secret from the environment", async () => {
    const result = await run(VECTOR_ARGS, {
      IMGFLO_SERVER: "http://localhost:8787/",
      IMGFLO_API_KEY: "k1",
      IMGFLO_API_SECRET: "s3cr3t",
    });
    expect(result.stdout).toBe(`${VECTOR}\n`);
  });

  it("prints the unsigned form without key and secret", async () => {
    const result = await run(["url", "canvas", "--format", "png", "--color", "#fff"]);
    expect(result.stdout).toBe("http://localhost:8787/graph/canvas.png?color=%23fff\n");
  });

  it("adds expires=<now + --expires-in> to a signed URL, under its signature", async () => {
    const before = Math.floor(Date.now() / 1000);
    const signing = ["--key", "k1", "--secret", "s3cr3t"];
    const result = await run([...VECTOR_ARGS, ...signing, "--expires-in", "3600"]);
    expect(result.code).toBe(0);
    const url = new URL(result.stdout.trim());
    const expires = Number(url.searchParams.get("expires"));
    expect(expires).toBeGreaterThanOrEqual(before + 3600);
    expect(expires).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 3600);
    const { graphSpec, rawSearch, signature } = splitProcessingUrl(result.stdout.trim());
    expect(verifyToken(signature?.token ?? "", graphSpec, rawSearch, "s3cr3t")).toBe(true);
    expect((await run(["url", "canvas", "--expires-in", "60"])).stderr).toMatch(/signed URLs/);
    for (const lifetime of ["0", "-1", "1.5", "soon"]) {
      expect((await run([...VECTOR_ARGS, ...signing, "--expires-in", lifetime])).code).toBe(2);
    }
  });

  it("exits 2 with usage for missing or half-given arguments", async () => {
    expect((await run(["url"])).code).toBe(2);
    const half = await run(["url", "crop", "--key", "k1"]);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--secret/);
    expect((await run(["url", "crop", "--input"])).stderr).toMatch(/needs a value/);
  });

  it("prints help for every command and an overview", async () => {
    const help = await run(["url", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: imgflo-server url/);
    expect((await run(["--help"])).stdout).toMatch(/Commands:/);
    expect((await run([])).code).toBe(2);
    expect((await run(["nope"])).code).toBe(2);
  });
});

describe("imgflo-server dev", () => {
  it("documents ADMIN_TOKEN and refuses one it could not hand on as it is", async () => {
    expect((await run(["dev", "--help"])).stdout).toMatch(/ADMIN_TOKEN {3}bearer token/);
    for (const token of ["too-short", "has a space in it here", "quote'd-0123456789"]) {
      const refused = await run(["dev"], { ADMIN_TOKEN: token });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^ADMIN_TOKEN must be 16 or more characters/);
    }
  });
});

describe("the imgflo-server binary", () => {
  it("runs as npx would run it", async () => {
    const { stdout } = await promisify(execFile)("node", [
      "bin/imgflo-server.js",
      ...VECTOR_ARGS,
      "--key",
      "k1",
      "--secret",
      "s3cr3t",
    ]);
    expect(stdout).toBe(`${VECTOR}\n`);
  });
});
