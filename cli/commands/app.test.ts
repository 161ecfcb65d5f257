import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../main.ts";
import { applyMigrations } from "../wrangler.ts";

let persistDir: string;

beforeAll(async () => {
  persistDir = await mkdtemp(join(tmpdir(), "imgflo-app-cli-"));
  await applyMigrations({ remote: false, persistTo: persistDir });
});

afterAll(async () => {
  await rm(persistDir, { recursive: true, force: true });
});

async function app(...argv: string[]): Promise<{ code: number; json: unknown; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const io = {
    stdout: (text: string) => {
      stdout += text;
    },
    stderr: (text: string) => {
      stderr += text;
    },
    env: {},
  };
  const code = await main(["app", ...argv, "--persist-to", persistDir], io);
  return { code, json: stdout ? JSON.parse(stdout) : undefined, stderr };
}

describe("imgflo-server app", () => {
  it("refuses bad arguments before touching the database", async () => {
    for (const argv of [
      [],
      ["grant"],
      ["add", "--quota", "-1"],
      ["add", "--key", "only-a-key"],
      ["add", "--colour", "red"],
      ["list", "--disabled"],
      ["disable"],
      ["disable", "it's"],
      ["quota", "k1"],
    ]) {
      const result = await app(...argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr).toContain("Usage: imgflo-server app");
    }
  });

  it("adds, lists, disables, enables, limits and removes applications in the local D1", async () => {
    const created = await app("add", "--name", "demo");
    expect(created.code).toBe(0);
    expect(created.json).toEqual({
      key: expect.stringMatching(/^[0-9a-f]{24}$/),
      secret: expect.stringMatching(/^[0-9a-f]{48}$/),
      name: "demo",
      enabled: true,
      processing_quota: null,
    });
    const imported = await app(
      "add",
      "--key",
      "k1",
      "--secret",
      "s3cr3t",
      "--name",
      "it's old",
      "--quota",
      "3",
      "--disabled",
    );
    expect(imported.json).toEqual({
      key: "k1",
      secret: "s3cr3t",
      name: "it's old",
      enabled: false,
      processing_quota: 3,
    });

    const listed = (await app("list")).json as Record<string, unknown>[];
    expect(listed.map((row) => row.key)).toEqual([(created.json as { key: string }).key, "k1"]);
    expect(listed.every((row) => !("secret" in row) && typeof row.created_at === "string")).toBe(
      true,
    );

    expect((await app("enable", "k1")).json).toMatchObject({ key: "k1", enabled: true });
    expect((await app("disable", "k1")).json).toMatchObject({ key: "k1", enabled: false });
    expect((await app("quota", "k1", "0")).json).toMatchObject({ key: "k1", processing_quota: 0 });
    expect((await app("quota", "k1", "unlimited")).json).toMatchObject({
      key: "k1",
      processing_quota: null,
    });
    expect((await app("remove", "k1")).json).toEqual({ key: "k1", removed: true });
    const again = await app("remove", "k1");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('There is no application with the key "k1"');
  }, 120_000);
});
