import type { SettingTable } from "./setting-types.ts";

const MIB = 1024 * 1024;

/** The origin (`imgflo-server origin`, `npm run origin`, Docker), and what it passes to its GEGL workers. */
export const ORIGIN_SETTINGS = {
  port: {
    name: "PORT",
    type: "integer",
    default: 8080,
    min: 0,
    max: 65535,
    description: "listening port",
  },
  host: {
    name: "HOST",
    type: "text",
    default: "127.0.0.1",
    description: "listening address (`0.0.0.0` in Docker)",
  },
  originSecret: {
    name: "ORIGIN_SECRET",
    type: "text",
    secret: true,
    default: null,
    localStack: "generated per start",
    description: "when set, requests need `Authorization: Bearer <it>` (else 401)",
  },
  renderConcurrency: {
    name: "RENDER_CONCURRENCY",
    type: "integer",
    default: null,
    defaultText: "CPU count",
    min: 1,
    description: "concurrent renders = GEGL worker processes",
  },
  geglThreads: {
    name: "GEGL_THREADS",
    type: "integer",
    default: null,
    defaultText: "CPU count ÷ `RENDER_CONCURRENCY`",
    min: 1,
    description: "GEGL's threads inside each worker",
  },
  loneRenderThreads: {
    name: "LONE_RENDER_THREADS",
    type: "integer",
    default: null,
    defaultText: "CPU count",
    min: 1,
    description:
      "GEGL threads of a render of 1 MP or more that has the origin to itself (no other render holds or awaits a slot); others get `GEGL_THREADS`",
  },
  geglCacheMib: {
    name: "GEGL_CACHE_SIZE",
    type: "integer",
    default: 3000,
    min: 1,
    description:
      "GEGL's tile cache in each worker, MiB (large enough for ~40 MP; GEGL allocates tiles in blocks of a hundredth of it, which under 3200 stay in malloc's heap between renders; see `origin/gegl-worker/main.c`)",
  },
  workerDirectBlur: {
    name: "IMGFLO_WORKER_DIRECT",
    type: "boolean",
    default: true,
    description:
      "the workers render a gaussian blur (the recursive filter, clipped) over one float image of the whole extent, without GEGL's tiled buffers: a lone blur from the input's pixels to the output's, a blur inside a graph as its own node (same bytes as GEGL's; see `origin/gegl-worker/README.md`); false: through GEGL's gblur-1d",
  },
  workerFastConversions: {
    name: "IMGFLO_WORKER_FAST_CONVERSIONS",
    type: "boolean",
    default: true,
    description:
      "the workers convert through sRGB's curve in float with their own vectorised babl conversions (same bits as babl's; see `origin/gegl-worker/README.md`); false: babl's own",
  },
  workerPointChains: {
    name: "IMGFLO_WORKER_POINT_CHAINS",
    type: "boolean",
    default: true,
    description:
      "the workers compute each chain of point operations (opacity, the SVG blends, curves, grey) that one source feeds in one pass, calling the graph's own operations on small runs of pixels, once per distinct source colour (same bytes as GEGL's; see `origin/gegl-worker/README.md`); false: node by node through GEGL's buffers",
  },
  operationSwaps: {
    name: "OPERATION_SWAPS",
    type: "boolean",
    default: true,
    description:
      "the compile swaps GEGL operations for the project's faster ones with the same output where a node's properties allow (`origin/compile/operation-swaps.ts`); false: GEGL's own",
  },
  workerInput: {
    name: "IMGFLO_WORKER_INPUT",
    type: "choice",
    choices: ["u16", "u8"],
    default: "u16",
    description:
      "how the workers hand input pixels to GEGL: widened to 16-bit, or as 8-bit (faster by ~10%, but babl builds 256 MiB lookup tables)",
  },
  workerMaxPayloadBytes: {
    name: "IMGFLO_WORKER_MAX_PAYLOAD_BYTES",
    type: "integer",
    default: 1024 * MIB,
    min: 1,
    max: 4294967295,
    description: "the largest request payload a worker accepts",
  },
  workerWarmUp: {
    name: "IMGFLO_WORKER_WARMUP",
    type: "boolean",
    default: true,
    description:
      "each worker renders a small graph at start-up, so the first request does not pay babl's and GEGL's set-up",
  },
  maxQueue: {
    name: "MAX_QUEUE",
    type: "integer",
    default: 256,
    min: 0,
    description:
      "renders allowed to wait for memory and a slot (inputs still downloading do not count); beyond it `503` with `Retry-After`",
  },
  maxDownloads: {
    name: "MAX_DOWNLOADS",
    type: "integer",
    default: 32,
    min: 1,
    description:
      "input downloads in progress at once, all hosts together; as many more may wait, beyond that `503` with `Retry-After`",
  },
  maxDownloadsPerHost: {
    name: "MAX_DOWNLOADS_PER_HOST",
    type: "integer",
    default: 8,
    min: 1,
    description:
      "input downloads in progress at once from one host; as many more may wait, beyond that `503` with `Retry-After`",
  },
  maxRenderMemory: {
    name: "MAX_RENDER_MEMORY",
    type: "integer",
    default: null,
    defaultText: "¾ of the cgroup's `memory.max`, else ½ of RAM",
    min: 1,
    description:
      "bytes the running renders may take by their estimate (see below); the others wait",
  },
  maxInputBytes: {
    name: "MAX_INPUT_BYTES",
    type: "integer",
    default: 25 * MIB,
    min: 1,
    description: "input download limit (`413`)",
  },
  maxPixels: {
    name: "MAX_PIXELS",
    type: "integer",
    default: 40_000_000,
    min: 1,
    description:
      "limit for decoded input, requested output (every frame of an animated one) and `noop`'s input (`422`)",
  },
  fetchTimeoutMs: {
    name: "FETCH_TIMEOUT_MS",
    type: "integer",
    default: 20_000,
    min: 1,
    description:
      "deadline for the whole input download, waiting for a download slot included (`504`)",
  },
  inputCacheTtlMs: {
    name: "INPUT_CACHE_TTL_MS",
    type: "integer",
    default: 5000,
    min: 0,
    description:
      "a downloaded input is reused this long by requests on the same URL, and one being downloaded is waited for (several sizes of one image, asked for at once or one after another, download it once); `0` turns both off",
  },
  inputCacheBytes: {
    name: "INPUT_CACHE_BYTES",
    type: "integer",
    default: 64 * MIB,
    min: 0,
    description: "bytes of recently downloaded inputs kept for that reuse, oldest dropped first",
  },
  renderTimeoutMs: {
    name: "RENDER_TIMEOUT_MS",
    type: "integer",
    default: 30_000,
    min: 1,
    description:
      "deadline of one render, every step from decode to encode; a GEGL worker past it is replaced (`504`)",
  },
  allowPrivateInputs: {
    name: "ALLOW_PRIVATE_INPUTS",
    type: "boolean",
    default: false,
    localStack: "true",
    description:
      "allow inputs on loopback, private, link-local, CGNAT, multicast and metadata addresses",
  },
  metricsPort: {
    name: "METRICS_PORT",
    type: "integer",
    default: null,
    min: 0,
    max: 65535,
    description:
      "a second port (on `HOST`) serving only `GET /metrics`, without the secret: for a scraper on a private network",
  },
  logFormat: {
    name: "LOG_FORMAT",
    type: "choice",
    choices: ["json", "pretty"],
    default: "json",
    localStack: "`pretty`",
    description:
      "`json`: one JSON object per line on stderr; `pretty`: one readable line per event",
  },
  runtimePort: {
    name: "RUNTIME_PORT",
    type: "integer",
    default: null,
    min: 0,
    max: 65535,
    localStack: "3569 on loopback",
    description:
      "port of the FBP runtime for live graph editing (the editor, Flowhub); unset: off (never on in Docker unless set)",
  },
  runtimeSecret: {
    name: "RUNTIME_SECRET",
    type: "text",
    secret: true,
    default: null,
    localStack: "generated per start",
    description:
      "required with `RUNTIME_PORT`, 16 characters or more: every protocol message must carry it",
  },
  runtimeSaveDir: {
    name: "RUNTIME_SAVE_DIR",
    type: "text",
    default: null,
    localStack: "`graphs/`",
    description:
      "where `network:persist` (Flowhub's Save; the editor publishes to the edge instead) writes the main graph as `<id>.json`; unset: saving refused",
  },
  runtimePublicUrl: {
    name: "RUNTIME_PUBLIC_URL",
    type: "text",
    default: null,
    defaultText: "`http://<HOST>:<RUNTIME_PORT>/`",
    description: "base URL of the preview images the runtime announces, when it is behind a proxy",
  },
  tmpDir: {
    name: "TMPDIR",
    type: "text",
    default: "/tmp",
    description:
      "where renders' pixel files go when `/dev/shm` is not a writable tmpfs (read by Node's `os.tmpdir()`; used only if it is one; otherwise pixels go through the workers' pipes)",
  },
  glibcTunables: {
    name: "GLIBC_TUNABLES",
    type: "text",
    default: null,
    defaultText:
      "unset (`npm start`, the Docker image and the tests: `glibc.malloc.arena_max=1:glibc.malloc.trim_threshold=4294967296:glibc.malloc.mmap_threshold=33554432:glibc.malloc.hugetlb=1`)",
    description:
      "glibc's malloc settings, read when the process starts (`origin/malloc-tunables.ts`): the origin's libvips threads share one arena on huge pages that keeps what it frees (no trim on free, blocks up to 32 MiB from the heap), so a large image's encode reuses memory instead of faulting in fresh pages (a 12 MP JPEG 330 → 90 ms back to back, 150 → 100 ms 2.5 s apart); the origin logs a line when started without them. The workers get huge pages, whatever the origin has, and set the rest themselves (one arena, freed memory kept until they idle: `keep_freed_memory` in `origin/gegl-worker/main.c`)",
  },
} as const satisfies SettingTable;
