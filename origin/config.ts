import { readFileSync } from "node:fs";
import { availableParallelism, totalmem } from "node:os";
import { fileURLToPath } from "node:url";
import { ORIGIN_SETTINGS } from "../shared/origin-settings.ts";
import { readSettings, SettingError } from "../shared/read-settings.ts";

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
  /** GEGL's tile cache per worker, MiB (GEGL_CACHE_SIZE). */
  geglCacheMib: number;
  /** The workers render gaussian blurs over one float image, without GEGL's (IMGFLO_WORKER_DIRECT). */
  workerDirectBlur: boolean;
  /** The workers' own conversions through sRGB's curve (IMGFLO_WORKER_FAST_CONVERSIONS). */
  workerFastConversions: boolean;
  /** The workers compute chains of point operations in one pass (IMGFLO_WORKER_POINT_CHAINS). */
  workerPointChains: boolean;
  /** The compile swaps GEGL operations for the project's with the same output (OPERATION_SWAPS). */
  operationSwaps: boolean;
  /** How the workers hand input pixels to GEGL (IMGFLO_WORKER_INPUT). */
  workerInput: "u16" | "u8";
  /** The largest request payload a worker accepts (IMGFLO_WORKER_MAX_PAYLOAD_BYTES). */
  workerMaxPayloadBytes: number;
  /** Each worker renders a small graph at start-up (IMGFLO_WORKER_WARMUP). */
  workerWarmUp: boolean;
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

export type LogFormat = (typeof ORIGIN_SETTINGS.logFormat.choices)[number];

const root = (path: string) => fileURLToPath(new URL(`../${path}`, import.meta.url));

export const WORKER_BINARY = root("build/native/imgflo-gegl-worker");
export const GEGL_OPS_DIR = root("build/native/gegl-ops");
export const EXAMPLES_DIR = root("examples");
/** Built by scripts/build-ui.ts (npm run setup, and the Docker image's build stage). */
export const TESTING_UI_PAGE = root("build/ui/index.html");
export const EDITOR_PAGE = root("build/ui/editor.html");
/** Long enough for a page's several sizes of one image, short enough not to serve stale inputs. */
export const DEFAULT_INPUT_CACHE_TTL_MS = ORIGIN_SETTINGS.inputCacheTtlMs.default;

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

function runtimeSecret(runtimePort: number | null, secret: string | null): string | null {
  if (runtimePort !== null && (secret === null || secret.length < 16)) {
    throw new SettingError(
      "RUNTIME_SECRET",
      "must be set, at least 16 characters, when RUNTIME_PORT is.",
    );
  }
  return secret;
}

export function readConfig(env: Env, memory: MemoryFacts = systemMemory()): OriginConfig {
  const {
    tmpDir: _readByNode,
    glibcTunables: _readByGlibc,
    ...settings
  } = readSettings(env, ORIGIN_SETTINGS);
  const cores = availableParallelism();
  const renderConcurrency = settings.renderConcurrency ?? cores;
  return {
    ...settings,
    renderConcurrency,
    maxRenderMemory: settings.maxRenderMemory ?? defaultRenderMemory(memory),
    // Workers x GEGL threads = cores: busy cores are neither idle nor oversubscribed.
    geglThreads: settings.geglThreads ?? Math.max(1, Math.floor(cores / renderConcurrency)),
    loneRenderThreads: settings.loneRenderThreads ?? cores,
    runtimeSecret: runtimeSecret(settings.runtimePort, settings.runtimeSecret),
  };
}
