import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { parseBooleanWord } from "../shared/boolean-words.ts";

/** The origin's settings, read once from the environment at start-up. */
export interface OriginConfig {
  port: number;
  host: string;
  /** When set, every route but /healthz needs `Authorization: Bearer <secret>`. */
  originSecret: string | null;
  /** Renders running at once; also the number of GEGL worker processes. */
  renderConcurrency: number;
  /** Renders allowed to wait for memory and a render slot before new ones get 503. */
  maxQueue: number;
  /** Input downloads in progress at once, all hosts together (as many more may wait). */
  maxDownloads: number;
  /** Input downloads in progress at once from one host (as many more may wait). */
  maxDownloadsPerHost: number;
  /** Bytes the renders admitted at once may take, by their estimate; the rest wait. */
  maxRenderMemory: number;
  maxInputBytes: number;
  /** Limit for the decoded input and for the requested output, in pixels. */
  maxPixels: number;
  fetchTimeoutMs: number;
  /** How long a downloaded input is reused for requests on the same URL (0: never). */
  inputCacheTtlMs: number;
  /** Bytes of recently downloaded inputs kept for reuse. */
  inputCacheBytes: number;
  renderTimeoutMs: number;
  allowPrivateInputs: boolean;
  /** GEGL's own threads per worker. */
  geglThreads: number;
  /** GEGL threads of a large render that has the origin to itself: no other holds or awaits a slot. */
  loneRenderThreads: number;
  /** A second port serving only /metrics, without the secret (for a scraper on a private network). */
  metricsPort: number | null;
  /** JSON lines for log collectors, or one readable line per event for people. */
  logFormat: LogFormat;
  /** The FBP runtime (live graph editing): its port, or null when off. */
  runtimePort: number | null;
  /** Required whenever the runtime is on: clients send it in every message. */
  runtimeSecret: string | null;
  /** Where `network:persist` saves graphs; null refuses saving. */
  runtimeSaveDir: string | null;
  /** The runtime's public base URL (e.g. behind a TLS proxy), for its preview URLs. */
  runtimePublicUrl: string | null;
}

export type LogFormat = "json" | "pretty";

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
/** Built by scripts/build-ui.ts (npm run setup, and the Docker image's build stage). */
export const TESTING_UI_PAGE = root("build/ui/index.html");
export const EDITOR_PAGE = root("build/ui/editor.html");
/** Long enough for a page's several sizes of one image, short enough not to serve stale inputs. */
export const DEFAULT_INPUT_CACHE_TTL_MS = 5000;

type Env = Record<string, string | undefined>;

/** What the machine or container offers, for defaults that follow its memory. */
export interface MemoryFacts {
  /** cgroup v2 memory.max in bytes; null when unlimited or not in a cgroup. */
  cgroupLimit: number | null;
  totalMemory: number;
}

const CGROUP_MEMORY_MAX = "/sys/fs/cgroup/memory.max";

function cgroupLimit(): number | null {
  try {
    const text = readFileSync(CGROUP_MEMORY_MAX, "utf8").trim();
    return text === "max" ? null : Number(text) || null;
  } catch {
    return null;
  }
}

export function systemMemory(): MemoryFacts {
  return { cgroupLimit: cgroupLimit(), totalMemory: totalmem() };
}

// The rest is for Node, the idle workers and the input buffers of downloads in progress.
const RENDER_SHARE_OF_CGROUP = 0.75;
// Without a container limit the origin shares the machine.
const RENDER_SHARE_OF_MACHINE = 0.5;

function defaultRenderMemory(memory: MemoryFacts): number {
  return Math.floor(
    memory.cgroupLimit === null
      ? memory.totalMemory * RENDER_SHARE_OF_MACHINE
      : memory.cgroupLimit * RENDER_SHARE_OF_CGROUP,
  );
}

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
  const text = env[name] ?? "";
  const value = text.trim() === "" ? false : parseBooleanWord(text);
  if (value !== null) return value;
  throw new ConfigError(name, `must be true or false (got "${env[name]}").`);
}

function logFormat(env: Env): LogFormat {
  const text = (env.LOG_FORMAT ?? "").trim().toLowerCase();
  if (text === "" || text === "json") return "json";
  if (text === "pretty") return "pretty";
  throw new ConfigError("LOG_FORMAT", `must be json or pretty (got "${env.LOG_FORMAT}").`);
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

export function readConfig(env: Env, memory: MemoryFacts = systemMemory()): OriginConfig {
  const cores = availableParallelism();
  const renderConcurrency = integer(env, "RENDER_CONCURRENCY", cores, 1);
  return {
    port: integer(env, "PORT", 8080, 0),
    host: env.HOST?.trim() || "127.0.0.1",
    originSecret: env.ORIGIN_SECRET || null,
    renderConcurrency,
    maxQueue: integer(env, "MAX_QUEUE", 256, 0),
    maxDownloads: integer(env, "MAX_DOWNLOADS", 32, 1),
    maxDownloadsPerHost: integer(env, "MAX_DOWNLOADS_PER_HOST", 8, 1),
    maxRenderMemory: integer(env, "MAX_RENDER_MEMORY", defaultRenderMemory(memory), 1),
    maxInputBytes: integer(env, "MAX_INPUT_BYTES", 25 * 1024 * 1024, 1),
    maxPixels: integer(env, "MAX_PIXELS", 40_000_000, 1),
    fetchTimeoutMs: integer(env, "FETCH_TIMEOUT_MS", 20_000, 1),
    inputCacheTtlMs: integer(env, "INPUT_CACHE_TTL_MS", DEFAULT_INPUT_CACHE_TTL_MS, 0),
    inputCacheBytes: integer(env, "INPUT_CACHE_BYTES", 64 * 1024 * 1024, 0),
    renderTimeoutMs: integer(env, "RENDER_TIMEOUT_MS", 30_000, 1),
    allowPrivateInputs: flag(env, "ALLOW_PRIVATE_INPUTS"),
    // Workers x GEGL threads = cores: busy cores are neither idle nor oversubscribed.
    geglThreads: integer(
      env,
      "GEGL_THREADS",
      Math.max(1, Math.floor(cores / renderConcurrency)),
      1,
    ),
    loneRenderThreads: integer(env, "LONE_RENDER_THREADS", cores, 1),
    metricsPort: env.METRICS_PORT?.trim() ? integer(env, "METRICS_PORT", 0, 0) : null,
    logFormat: logFormat(env),
    ...runtimeSettings(env),
    runtimeSaveDir: env.RUNTIME_SAVE_DIR?.trim() || null,
    runtimePublicUrl: env.RUNTIME_PUBLIC_URL?.trim() || null,
  };
}
