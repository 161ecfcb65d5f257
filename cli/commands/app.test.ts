import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../main.ts";
import { applyMigrations, executeSql } from "../wrangler.ts";

let persistDir: string;

beforeAll(async () => {
  persistDir = await mkdtemp(join(tmpdir(), "imgflo-app-cli-"));
  await applyMigrations({ remote: false, persistTo: persistDir });
});

afterAll(async () => {
  await rm(persistDir, { recursive: true, force: true });
});

/** Runs `imgflo-server app` in-process with `argv` exactly as given (no --persist-to added). */
async function appExactly(
  argv: string[],
): Promise<{ code: number; json: unknown; stderr: string }> {
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
  const code = await main(["app", ...argv], io);
  return { code, json: stdout ? JSON.parse(stdout) : undefined, stderr };
}

const app = (...argv: string[]) => appExactly([...argv, "--persist-to", persistDir]);

/** Every process command line containing `word`, sampled from /proc until `stop` resolves. */
async function commandLinesDuring(word: string, stop: Promise<unknown>): Promise<string[]> {
  const seen = new Set<string>();
  let running = true;
  void stop.finally(() => {
    running = false;
  });
  while (running) {
    for (const pid of (await readdir("/proc")).filter((name) => /^\d+$/.test(name))) {
      const line = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
      if (line.includes(word)) seen.add(line.replaceAll("\0", " "));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return [...seen];
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return Promise.all(
    entries
      .filter((entry) => entry.isFile())
      .map((entry) => readFile(join(entry.parentPath, entry.name), "utf8")),
  );
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
      ["add", "--allow-source", "cdn.example.com/*"],
      ["add", "--allow-source", "https://*.example.com/*"],
      ["list", "--allow-source", "https://cdn.example.com/*"],
      ["rotate"],
      ["rotate", "k1", "--grace", "-5"],
      ["rotate", "k1", "--grace", "soon"],
      ["rotate", "k1", "k2"],
      ["quota", "k1", "1", "--grace", "1"],
      ["sources"],
      ["sources", "k1", "https://user@cdn.example.com/*"],
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
      allowed_sources: null,
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
      allowed_sources: null,
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

  it("keeps allowed sources, in the form the edge matches, and replaces them", async () => {
    const created = await app(
      "add",
      "--name",
      "sourced",
      "--allow-source",
      "https://CDN.example.com/images/*",
      "--allow-source=http://127.0.0.1:8080/*",
    );
    expect(created.code).toBe(0);
    const { key } = created.json as { key: string };
    const sources = ["https://cdn.example.com/images/*", "http://127.0.0.1:8080/*"];
    expect(created.json).toMatchObject({ allowed_sources: sources });
    const listed = (await app("list")).json as Record<string, unknown>[];
    expect(listed.find((row) => row.key === key)).toMatchObject({ allowed_sources: sources });

    const replaced = await app("sources", key, "https://other.example.com/*");
    expect(replaced.json).toMatchObject({ key, allowed_sources: ["https://other.example.com/*"] });
    expect((await app("sources", key)).json).toMatchObject({ key, allowed_sources: null });
    const missing = await app("sources", "no-such-key", "https://other.example.com/*");
    expect(missing.code).toBe(1);
  }, 60_000);

  it("rotates a secret: a fresh one printed once, the previous one kept for the grace", async () => {
    const created = (await app("add", "--name", "rotating")).json as Record<string, string>;
    const key = created.key as string;
    const before = Date.now();
    const rotated = await app("rotate", key, "--grace", "120");
    expect(rotated.code).toBe(0);
    const { secret, previous_secret_expires } = rotated.json as Record<string, string>;
    expect(rotated.json).toEqual({
      key,
      secret: expect.stringMatching(/^[0-9a-f]{48}$/),
      previous_secret_expires: expect.any(String),
    });
    expect(secret).not.toBe(created.secret);
    const ends = Date.parse(previous_secret_expires as string);
    expect(ends).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 120_000);
    expect(ends).toBeLessThanOrEqual(Date.now() + 120_000);

    const [row] = await executeSql(
      `SELECT secret, previous_secret FROM applications WHERE key = '${key}'`,
      { remote: false, persistTo: persistDir },
    );
    expect(row).toEqual({ secret, previous_secret: created.secret });
    const listed = (await app("list")).json as Record<string, unknown>[];
    const shown = listed.find((entry) => entry.key === key);
    expect(shown).toMatchObject({ previous_secret_expires });
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    // The default grace is a day.
    const again = (await app("rotate", key)).json as Record<string, string>;
    expect(Date.parse(again.previous_secret_expires as string) - Date.now()).toBeGreaterThan(
      86_400_000 - 60_000,
    );
    const unknown = await app("rotate", "no-such-key");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no application with the key "no-such-key"');
  }, 60_000);

  it("takes --disabled and --remote last on the command line", async () => {
    const disabled = await appExactly([
      "add",
      "--persist-to",
      persistDir,
      "--name",
      "last flag",
      "--disabled",
    ]);
    expect({ code: disabled.code, stderr: disabled.stderr }).toEqual({ code: 0, stderr: "" });
    expect(disabled.json).toMatchObject({ name: "last flag", enabled: false });
    const remote = await appExactly(["list", "--persist-to", persistDir, "--remote"]);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain("--persist-to is for the local database");
  }, 60_000);

  it("keeps a new secret off command lines and out of wrangler's logs", async () => {
    const logDir = await mkdtemp(join(tmpdir(), "imgflo-wrangler-logs-"));
    const previous = process.env.WRANGLER_LOG_PATH;
    process.env.WRANGLER_LOG_PATH = logDir;
    try {
      const adding = app("add", "--name", "secretive");
      const commandLines = await commandLinesDuring("wrangler", adding);
      const { code, json } = await adding;
      expect(code).toBe(0);
      const { key, secret } = json as { key: string; secret: string };
      const rotating = app("rotate", key);
      commandLines.push(...(await commandLinesDuring("wrangler", rotating)));
      const rotated = (await rotating).json as { secret: string };
      expect(commandLines.some((line) => line.includes("d1 execute"))).toBe(true);
      for (const printed of [secret, rotated.secret]) {
        expect(commandLines.filter((line) => line.includes(printed))).toEqual([]);
      }
      const logs = await filesUnder(logDir);
      expect(logs.length).toBeGreaterThan(0);
      for (const printed of [secret, rotated.secret]) {
        expect(logs.filter((log) => log.includes(printed))).toEqual([]);
      }
    } finally {
      if (previous === undefined) delete process.env.WRANGLER_LOG_PATH;
      else process.env.WRANGLER_LOG_PATH = previous;
      await rm(logDir, { recursive: true, force: true });
    }
  }, 60_000);
});
