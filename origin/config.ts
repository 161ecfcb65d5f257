import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";

/** The origin's settings, read once from the environment at start-up. */
export interface OriginConfig {
  port: number;
  host: string;
  /** When set, every route but /healthz needs `Authorization: Bearer <secret>`. */
  originSecret: string | null;
  /** Renders running at once; also the number of GEGL worker processes. */
  renderConcurrency: number;
  /** Requests allowed to wait for a render slot before new ones get 503. */
  maxQueue: number;
  maxInputBytes: number;
  /** Limit for the decoded input and for the requested output, in pixels. */
  maxPixels: number;
  fetchTimeoutMs: number;
  renderTimeoutMs: number;
  allowPrivateInputs: boolean;
  /** GEGL's own threads per worker. */
  geglThreads: number;
  /** The FBP runtime (live graph editing): its port, or null when off. */
  runtimePort: number | null;
  /** Required whenever the runtime is on: clients send it in every message. */
  runtimeSecret: string | null;
  /** Where `network:persist` saves graphs; null refuses saving. */
  runtimeSaveDir: string | null;
  /** The runtime's public base URL (e.g. behind a TLS proxy), for its preview URLs. */
  runtimePublicUrl: string | null;
}

export class ConfigError extends Error {
  constructor(variable: string, why: string) {
    super(`${variable} ${why}`);
    this.name = "ConfigError";
  }
}

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export const WORKER_BINARY = root("build/native/imgflo-gegl-worker");
export const GEGL_OPS_DIR = root("build/native/gegl-ops");
export const EXAMPLES_DIR = root("examples");
/** Built by scripts/build-ui.ts (npm run setup); absent from the Docker image. */
export const TESTING_UI_PAGE = root("build/ui/index.html");
export const EDITOR_PAGE = root("build/ui/editor.html");

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, minimum: number): number {
  const text = env[name]?.trim();
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new ConfigError(name, `must be an integer of at least ${minimum} (got "${text}").`);
  }
  return value;
}

function flag(env: Env, name: string): boolean {
  const text = (env[name] ?? "").trim().toLowerCase();
  if (["", "0", "false", "no", "off"].includes(text)) return false;
  if (["1", "true", "yes", "on"].includes(text)) return true;
  throw new ConfigError(name, `must be true or false (got "${env[name]}").`);
}

function runtimeSettings(env: Env): Pick<OriginConfig, "runtimePort" | "runtimeSecret"> {
  const runtimePort = env.RUNTIME_PORT?.trim() ? integer(env, "RUNTIME_PORT", 0, 0) : null;
  const runtimeSecret = env.RUNTIME_SECRET || null;
  if (runtimePort !== null && (runtimeSecret === null || runtimeSecret.length < 16)) {
    throw new ConfigError(
      "RUNTIME_SECRET",
      "must be set, at least 16 characters, when RUNTIME_PORT is.",
    );
  }
  return { runtimePort, runtimeSecret };
}

export function readConfig(env: Env): OriginConfig {
  const cores = availableParallelism();
  const renderConcurrency = integer(env, "RENDER_CONCURRENCY", cores, 1);
  return {
    port: integer(env, "PORT", 8080, 0),
    host: env.HOST?.trim() || "127.0.0.1",
    originSecret: env.ORIGIN_SECRET || null,
    renderConcurrency,
    maxQueue: integer(env, "MAX_QUEUE", 256, 0),
    maxInputBytes: integer(env, "MAX_INPUT_BYTES", 25 * 1024 * 1024, 1),
    maxPixels: integer(env, "MAX_PIXELS", 40_000_000, 1),
    fetchTimeoutMs: integer(env, "FETCH_TIMEOUT_MS", 20_000, 1),
    renderTimeoutMs: integer(env, "RENDER_TIMEOUT_MS", 30_000, 1),
    allowPrivateInputs: flag(env, "ALLOW_PRIVATE_INPUTS"),
    // Workers x GEGL threads = cores: busy cores are neither idle nor oversubscribed.
    geglThreads: integer(
      env,
      "GEGL_THREADS",
      Math.max(1, Math.floor(cores / renderConcurrency)),
      1,
    ),
    ...runtimeSettings(env),
    runtimeSaveDir: env.RUNTIME_SAVE_DIR?.trim() || null,
    runtimePublicUrl: env.RUNTIME_PUBLIC_URL?.trim() || null,
  };
}
