import { once } from "node:events";
import type { Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import packageJson from "../package.json" with { type: "json" };
import { createApp, ownInputContext } from "./app.ts";
import { checkCatalogue } from "./catalogue-check.ts";
import { GEGL_OPS_DIR, type OriginConfig, readConfig, WORKER_BINARY } from "./config.ts";
import { loadCatalogue } from "./graph-files.ts";
import { anyAddress, isPublicAddress } from "./render/address-policy.ts";
import { InputFetcher } from "./render/fetch-input.ts";
import { GeglPool } from "./render/gegl-pool.ts";
import type { RenderedImage } from "./render/pipeline.ts";
import { RenderQueue } from "./render/render-queue.ts";
import { type RunningRuntime, startRuntimeServer } from "./runtime/server.ts";

export interface RunningOrigin {
  url: string;
  /** The FBP runtime's WebSocket address, when RUNTIME_PORT is set. */
  runtimeUrl: string | null;
  /** Stops taking requests, lets those in flight finish (within a grace period), stops the workers. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Folder of graph files (default: the project's graphs/). */
  graphsDir?: string;
  log: (line: string) => void;
}

const WORKER_START_TIMEOUT_MS = 60_000;
const SHUTDOWN_GRACE_MS = 30_000;
// The workers get what GEGL, babl and the C runtime read; not the origin's secrets.
const WORKER_ENV = /^(GEGL_|BABL_|IMGFLO_WORKER_|LC_|LANG$|PATH$|HOME$)/;

function workerEnv(config: OriginConfig): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && WORKER_ENV.test(name)) env[name] = value;
  }
  return { ...env, GEGL_PATH: GEGL_OPS_DIR, GEGL_THREADS: String(config.geglThreads) };
}

/** Counts responses in flight; the returned function resolves when there are none. */
function trackResponses(server: Server): () => Promise<void> {
  let active = 0;
  let waiting: (() => void)[] = [];
  server.on("request", (_request, response: ServerResponse) => {
    active++;
    response.once("close", () => {
      active--;
      if (active > 0) return;
      for (const resolve of waiting) resolve();
      waiting = [];
    });
  });
  return () => (active === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve)));
}

async function listen(server: Server, config: OriginConfig): Promise<string> {
  server.listen(config.port, config.host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return `http://${host}:${port}/`;
}

export async function startOrigin(
  config: OriginConfig,
  options: StartOptions,
): Promise<RunningOrigin> {
  const catalogue = await loadCatalogue(options.graphsDir);
  const pool = await GeglPool.start({
    size: config.renderConcurrency,
    binary: WORKER_BINARY,
    env: workerEnv(config),
    startTimeoutMs: WORKER_START_TIMEOUT_MS,
    log: options.log,
  });
  try {
    const checked = await checkCatalogue(catalogue, pool, WORKER_START_TIMEOUT_MS);
    const fetcher = new InputFetcher({
      maxBytes: config.maxInputBytes,
      timeoutMs: config.fetchTimeoutMs,
      addressPolicy: config.allowPrivateInputs ? anyAddress : isPublicAddress,
      userAgent: `${packageJson.name}/${packageJson.version}`,
    });
    const queue = new RenderQueue<RenderedImage>({
      concurrency: config.renderConcurrency,
      maxQueue: config.maxQueue,
    });
    const services = { config, graphs: checked.graphs, fetcher, pool, queue };
    const app = createApp({ ...services, catalogue, versions: checked.versions, log: options.log });
    const server = createAdaptorServer({ fetch: app.fetch }) as Server;
    const responsesDone = trackResponses(server);
    const url = await listen(server, config);
    let runtime: RunningRuntime | null = null;
    if (config.runtimePort !== null) {
      runtime = await startRuntimeServer({
        config,
        services,
        catalogue,
        inputs: ownInputContext(app, {
          origin: new URL(url).origin,
          base: url,
          authorization: config.originSecret ? `Bearer ${config.originSecret}` : undefined,
          maxInputBytes: config.maxInputBytes,
        }),
        describeTimeoutMs: WORKER_START_TIMEOUT_MS,
        log: options.log,
      });
    }
    return {
      url,
      runtimeUrl: runtime?.url ?? null,
      async close() {
        await runtime?.close();
        const closed = new Promise((resolve) => server.close(resolve));
        server.closeIdleConnections();
        const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
        await Promise.race([responsesDone(), grace]);
        // Keep-alive connections would otherwise linger until their idle timeout.
        server.closeAllConnections();
        await closed;
        fetcher.close();
        await pool.close();
      },
    };
  } catch (error) {
    await pool.close();
    throw error;
  }
}

/** `imgflo-server origin`: runs until SIGTERM or SIGINT, then shuts down gracefully. */
export async function runOrigin(
  env: Record<string, string | undefined>,
  io: { stdout: (text: string) => void; stderr: (text: string) => void },
  options: { graphsDir?: string } = {},
): Promise<number> {
  const config = readConfig(env);
  const log = (line: string) => io.stderr(`origin: ${line}\n`);
  const origin = await startOrigin(config, { ...options, log });
  io.stdout(
    `imgflo origin listening on ${origin.url} (${config.renderConcurrency} GEGL workers x ${config.geglThreads} threads)\n`,
  );
  if (origin.runtimeUrl) io.stdout(`imgflo FBP runtime listening on ${origin.runtimeUrl}\n`);
  const signal = await Promise.race(
    (["SIGTERM", "SIGINT"] as const).map((name) => once(process, name).then(() => name)),
  );
  log(`${signal}: finishing the renders in flight`);
  await origin.close();
  return 0;
}
