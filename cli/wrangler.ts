import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Runs the project's pinned wrangler against wrangler.toml, from the project root. */
export const PROJECT_ROOT = fileURLToPath(new URL("../", import.meta.url));
export const WRANGLER_BIN = fileURLToPath(
  new URL("../node_modules/wrangler/bin/wrangler.js", import.meta.url),
);
export const WRANGLER_CONFIG = fileURLToPath(new URL("../wrangler.toml", import.meta.url));

/** Which D1 database a command talks to: the local one `wrangler dev` uses, or the deployed one. */
export interface D1Target {
  remote: boolean;
  /** Local state directory (wrangler's --persist-to); wrangler's default when absent. */
  persistTo?: string | undefined;
}

/** Quiet, non-interactive wrangler: no colours, no telemetry, no Request.cf download. */
export const WRANGLER_ENV = {
  FORCE_COLOR: "0",
  NO_COLOR: "1",
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

export function runWrangler(args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER_BIN, ...args, "--config", WRANGLER_CONFIG], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...WRANGLER_ENV },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else
        reject(
          new Error(`wrangler ${args.slice(0, 3).join(" ")} failed:\n${stderr || stdout}`.trim()),
        );
    });
  });
}

function targetArgs(target: D1Target): string[] {
  if (target.remote) return ["--remote"];
  return target.persistTo ? ["--local", "--persist-to", target.persistTo] : ["--local"];
}

export async function applyMigrations(target: D1Target): Promise<void> {
  await runWrangler(["d1", "migrations", "apply", "DB", ...targetArgs(target)]);
}

/** Runs one SQL statement on D1 and resolves to its result rows. The statement is on wrangler's command line: no secrets. */
export async function executeSql(
  sql: string,
  target: D1Target,
): Promise<Record<string, unknown>[]> {
  const { stdout } = await runWrangler([
    "d1",
    "execute",
    "DB",
    "--json",
    "--command",
    sql,
    ...targetArgs(target),
  ]);
  const results = JSON.parse(stdout) as { results?: Record<string, unknown>[] }[];
  return results[0]?.results ?? [];
}

/**
 * Runs SQL holding secrets: from a file only this user can read, deleted afterwards, so the
 * secrets appear neither on a command line (`ps`) nor in wrangler's logs. Returns nothing:
 * whatever wrangler prints, it also writes to its log files.
 */
export async function executeSecretSql(sql: string, target: D1Target): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "imgflo-sql-"));
  try {
    const file = join(dir, "statement.sql");
    await writeFile(file, sql, { mode: 0o600 });
    // --yes: a remote --file import asks for confirmation, and there is nobody to answer.
    await runWrangler(["d1", "execute", "DB", "--file", file, "--yes", ...targetArgs(target)]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
