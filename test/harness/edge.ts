import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unstable_startWorker } from "wrangler";
import { appCommand, insertApplicationSql, type NewApplication } from "../../cli/commands/app.ts";
import {
  applyMigrations,
  executeSecretSql,
  WRANGLER_CONFIG,
  WRANGLER_ENV,
} from "../../cli/wrangler.ts";
import { freePort, type OriginProcess } from "./origin.ts";

type VarBinding = { type: "plain_text" | "secret_text"; value: string };

export interface EdgeOptions {
  originUrls: readonly string[];
  originSecret: string;
  /** ADMIN_TOKEN; a random one by default (RunningEdge.adminToken). */
  adminToken?: string;
  allowUnsigned?: boolean;
  failureTtlSeconds?: number;
  r2PublicUrl?: string;
  /** Further plain-text vars, e.g. FLEET_INSTANCES. */
  vars?: Record<string, string>;
  /** A Worker module to run instead of wrangler.toml's `main` (e.g. the edge with a test double). */
  entrypoint?: string;
  /** PUBLIC_URL; by default the edge's own loopback address. */
  publicUrl?: string;
  /** Local D1/R2/Queue state from freshDatabase(); deleted by stop() unless keepPersistDir. */
  persistDir: string;
  /** Another Worker's state, shared: stop() leaves it. */
  keepPersistDir?: boolean;
  /** "log" passes the Worker's console.log lines on to this process's stdout (default: errors only). */
  logLevel?: "error" | "log";
}

/** The Worker of wrangler.toml running in workerd with local D1, R2 and Queues. */
export interface RunningEdge {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:43210`. */
  url: string;
  /** The admin API's bearer token. */
  adminToken: string;
  persistDir: string;
  stop(): Promise<void>;
  /**
   * Stops this Worker and starts a fresh one on the same state (D1, R2) and options: a new
   * isolate, with nothing in its caches, as one that comes up after the isolate caches' 30 s.
   */
  restart(): Promise<RunningEdge>;
}

/** An application to create before the Worker starts; a random key and secret unless given. */
export interface ApplicationSeed {
  key?: string;
  secret?: string;
  name?: string;
  enabled?: boolean;
  quota?: number | null;
}

/** Inserts applications with the admin CLI's SQL, in one wrangler call; resolves to their rows. */
export async function seedApplications(
  persistDir: string,
  seeds: readonly ApplicationSeed[],
): Promise<NewApplication[]> {
  const applications = seeds.map((seed, i) => ({
    key: seed.key ?? `test${i}-${randomBytes(6).toString("hex")}`,
    secret: seed.secret ?? randomBytes(16).toString("hex"),
    name: seed.name ?? `test ${i}`,
    enabled: seed.enabled ?? true,
    quota: seed.quota ?? null,
  }));
  await executeSecretSql(applications.map(insertApplicationSql).join(";\n"), {
    remote: false,
    persistTo: persistDir,
  });
  return applications;
}

/** One application as the admin CLI prints it. */
export interface ApplicationRow {
  key: string;
  secret: string;
  name: string;
  enabled: boolean;
  processing_quota: number | null;
  allowed_sources: string[] | null;
}

/** Runs the admin CLI (`imgflo-server app <argv>`) on the local state; resolves to what it prints. */
export async function runAppCommand(persistDir: string, argv: readonly string[]): Promise<unknown> {
  let output = "";
  let problems = "";
  const code = await appCommand.run([...argv, "--persist-to", persistDir], {
    stdout: (text) => {
      output += text;
    },
    stderr: (text) => {
      problems += text;
    },
    env: process.env,
  });
  if (code !== 0) throw new Error(`app ${argv[0]} failed: ${problems}`);
  return JSON.parse(output);
}

/** Creates an application through the admin CLI (`imgflo-server app add`), key and secret generated. */
export async function addApplication(
  persistDir: string,
  options: { name?: string; quota?: number; disabled?: boolean; allowSources?: string[] } = {},
): Promise<ApplicationRow> {
  const argv = ["add", "--name", options.name ?? "test"];
  if (options.quota !== undefined) argv.push("--quota", String(options.quota));
  if (options.disabled) argv.push("--disabled");
  for (const pattern of options.allowSources ?? []) argv.push("--allow-source", pattern);
  return (await runAppCommand(persistDir, argv)) as ApplicationRow;
}

/** Creates a temporary state directory with the D1 migrations applied, as `npm start` does. */
export async function freshDatabase(): Promise<string> {
  const persistDir = await mkdtemp(join(tmpdir(), "imgflo-edge-"));
  await applyMigrations({ remote: false, persistTo: persistDir });
  return persistDir;
}

/** A Worker started from a wrangler config with local state in `persistDir`, on loopback (a free port by default). */
export async function startLocalWorker(
  config: string,
  persistDir: string,
  {
    bindings = {},
    entrypoint,
    logLevel = "error",
    port = 0,
  }: {
    bindings?: Record<string, VarBinding>;
    /** Another Worker module than wrangler.toml's `main` (a test double's wrapper). */
    entrypoint?: string;
    logLevel?: "error" | "log";
    port?: number;
  } = {},
): Promise<{ url: string; dispose(): Promise<void> }> {
  Object.assign(process.env, WRANGLER_ENV);
  const worker = await unstable_startWorker({
    config,
    ...(entrypoint ? { entrypoint } : {}),
    bindings,
    dev: {
      persist: persistDir,
      server: { hostname: "127.0.0.1", port },
      inspector: false,
      watch: false,
      logLevel,
    },
  });
  return { url: (await worker.url).origin, dispose: () => worker.dispose() };
}

export async function startEdge(options: EdgeOptions): Promise<RunningEdge> {
  const { persistDir } = options;
  const vars = Object.entries(options.vars ?? {}).map(([name, value]): [string, VarBinding] => [
    name,
    { type: "plain_text", value },
  ]);
  // PUBLIC_URL names the edge's own address, so the port is chosen before the Worker starts.
  const port = await freePort();
  const adminToken = options.adminToken ?? randomBytes(16).toString("hex");
  const worker = await startLocalWorker(WRANGLER_CONFIG, persistDir, {
    bindings: {
      ORIGIN_URLS: { type: "plain_text", value: options.originUrls.join(",") },
      PUBLIC_URL: { type: "plain_text", value: options.publicUrl ?? `http://127.0.0.1:${port}` },
      ORIGIN_SECRET: { type: "secret_text", value: options.originSecret },
      ADMIN_TOKEN: { type: "secret_text", value: adminToken },
      ALLOW_UNSIGNED: { type: "plain_text", value: String(options.allowUnsigned ?? true) },
      FAILURE_TTL_S: { type: "plain_text", value: String(options.failureTtlSeconds ?? 600) },
      R2_PUBLIC_URL: { type: "plain_text", value: options.r2PublicUrl ?? "" },
      ...Object.fromEntries(vars),
    },
    entrypoint: options.entrypoint,
    logLevel: options.logLevel,
    port,
  });
  return {
    url: worker.url,
    adminToken,
    persistDir,
    async stop() {
      await worker.dispose();
      if (!options.keepPersistDir) await rm(persistDir, { recursive: true, force: true });
    },
    async restart() {
      await worker.dispose();
      return startEdge(options);
    },
  };
}

/** Requests an origin received so far: renders it started plus requests that joined one in flight. */
export async function originRequestCount(origin: OriginProcess): Promise<number> {
  const { counters } = await origin.healthz();
  return counters.started + counters.deduplicated;
}
