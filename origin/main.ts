import { once } from "node:events";
import type { Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Hono } from "hono";
import packageJson from "../package.json" with { type: "json" };
import { RenderQueue } from "./admission/render-queue.ts";
import { createApp } from "./app.ts";
import { checkCatalogue } from "./catalogue-check.ts";
import { CompiledGraphs } from "./compile/compiled-graphs.ts";
import { type OriginConfig, readConfig, WORKER_BINARY } from "./config.ts";
import { loadCatalogue } from "./graph-files.ts";
import { createOriginServer } from "./http-server.ts";
import { anyAddress, isPublicAddress } from "./input/address-policy.ts";
import { InputFetcher } from "./input/fetch-input.ts";
import { createLogger, type Logger } from "./log.ts";
import { hasOriginTunables, ORIGIN_MALLOC_TUNABLES } from "./malloc-tunables.ts";
import { OriginMetrics } from "./metrics.ts";
import type { RenderedImage } from "./pipeline.ts";
import { ownInputContext } from "./routes/input-context.ts";
import { type RunningRuntime, startRuntimeServer } from "./runtime/server.ts";
import { GeglPool } from "./worker/gegl-pool.ts";
import { PixelFiles } from "./worker/pixel-files.ts";
import { workerEnv } from "./worker/worker-process.ts";

export interface RunningOrigin {
  url: string;
  /** The METRICS_PORT listener's base URL, when there is one. */
  metricsUrl: string | null;
  /** The FBP runtime's WebSocket address, when RUNTIME_PORT is set. */
  runtimeUrl: string | null;
  /** Stops taking requests, lets those in flight finish (within a grace period), stops the workers. */
  close(): Promise<void>;
}

export interface StartOptions {
  /** Folder of graph files (default: the project's graphs/). */
  graphsDir?: string;
  logger: Logger;
}

const WORKER_START_TIMEOUT_MS = 60_000;
const SHUTDOWN_GRACE_MS = 30_000;
/** Ends a response's connection once it is sent, so the client cannot send another on it. */
function closeConnectionAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader("connection", "close");
}

/**
 * Tracks the responses in flight. The returned function starts draining: from then on every
 * response closes its connection (server.close() alone would keep serving requests that arrive
 * on kept-alive connections), and it resolves when no response is left in flight.
 */
function trackResponses(server: Server): () => Promise<void> {
  const active = new Set<ServerResponse>();
  let draining = false;
  let waiting: (() => void)[] = [];
  server.on("request", (_request, response: ServerResponse) => {
    active.add(response);
    if (draining) closeConnectionAfter(response);
    response.once("close", () => {
      active.delete(response);
      if (active.size > 0) return;
      for (const resolve of waiting) resolve();
      waiting = [];
    });
  });
  return () => {
    draining = true;
    for (const response of active) closeConnectionAfter(response);
    return active.size === 0 ? Promise.resolve() : new Promise((resolve) => waiting.push(resolve));
  };
}

async function listen(server: Server, config: OriginConfig, port: number): Promise<string> {
  server.listen(port, config.host);
  await once(server, "listening");
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return `http://${host}:${(server.address() as AddressInfo).port}/`;
}

/** The METRICS_PORT listener: /metrics only, without the origin secret. */
async function startMetricsServer(
  config: OriginConfig,
  metrics: OriginMetrics,
): Promise<{ url: string | null; close(): Promise<void> }> {
  if (config.metricsPort === null) return { url: null, close: async () => {} };
  const app = new Hono().get("/metrics", () => metrics.response());
  const server = createOriginServer(app.fetch);
  const url = await listen(server, config, config.metricsPort);
  return {
    url,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** The input fetcher and the render queue, as the configuration sets them. */
function inputAndQueue(config: OriginConfig) {
  const fetcher = new InputFetcher({
    maxBytes: config.maxInputBytes,
    timeoutMs: config.fetchTimeoutMs,
    addressPolicy: config.allowPrivateInputs ? anyAddress : isPublicAddress,
    userAgent: `${packageJson.name}/${packageJson.version}`,
    limits: { total: config.maxDownloads, perHost: config.maxDownloadsPerHost },
    cache: { ttlMs: config.inputCacheTtlMs, maxBytes: config.inputCacheBytes },
  });
  const queue = new RenderQueue<RenderedImage>({
    concurrency: config.renderConcurrency,
    maxQueue: config.maxQueue,
    memoryBudget: config.maxRenderMemory,
    renderTimeoutMs: config.renderTimeoutMs,
  });
  return { fetcher, queue };
}

export async function startOrigin(
  config: OriginConfig,
  options: StartOptions,
): Promise<RunningOrigin> {
  const { logger } = options;
  const catalogue = await loadCatalogue(options.graphsDir);
  const pool = await GeglPool.start({
    size: config.renderConcurrency,
    binary: WORKER_BINARY,
    env: workerEnv(config),
    startTimeoutMs: WORKER_START_TIMEOUT_MS,
    log: (line) => logger.info(line),
  });
  let pixelFiles: PixelFiles | null = null;
  try {
    // Every operation, once: graphs sent by edges may use any of them.
    const { operations, ...versions } = await pool.describe(undefined, WORKER_START_TIMEOUT_MS);
    const own = await checkCatalogue(
      catalogue,
      operations,
      pool,
      WORKER_START_TIMEOUT_MS,
      config.operationSwaps,
    );
    const graphs = new CompiledGraphs(operations, own);
    const { fetcher, queue } = inputAndQueue(config);
    const metrics = new OriginMetrics({ queue, pool });
    pixelFiles = await PixelFiles.open();
    logger.info(
      pixelFiles ? `pixel files in ${pixelFiles.dir}` : "no tmpfs for pixel files: pipes only",
    );
    if (!hasOriginTunables()) {
      logger.info(
        `started without GLIBC_TUNABLES=${ORIGIN_MALLOC_TUNABLES.join(":")}: large images' decodes and encodes fault in fresh pages (README, "Configuration")`,
      );
    }
    const services = { config, fetcher, pool, pixelFiles, queue };
    const app = createApp({ ...services, catalogue, graphs, versions, logger, metrics });
    const server = createOriginServer(app.fetch);
    const responsesDone = trackResponses(server);
    const url = await listen(server, config, config.port);
    const metricsServer = await startMetricsServer(config, metrics);
    let runtime: RunningRuntime | null = null;
    if (config.runtimePort !== null) {
      runtime = await startRuntimeServer({
        config,
        services,
        catalogue,
        operations,
        inputs: ownInputContext(app, {
          origin: new URL(url).origin,
          base: url,
          headers: config.originSecret ? { authorization: `Bearer ${config.originSecret}` } : {},
          maxInputBytes: config.maxInputBytes,
        }),
        log: (line) => logger.info(line),
      });
    }
    return {
      url,
      metricsUrl: metricsServer.url,
      runtimeUrl: runtime?.url ?? null,
      async close() {
        await runtime?.close();
        await metricsServer.close();
        const closed = new Promise((resolve) => server.close(resolve));
        server.closeIdleConnections();
        const grace = new Promise((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
        await Promise.race([responsesDone(), grace]);
        // Keep-alive connections would otherwise linger until their idle timeout.
        server.closeAllConnections();
        await closed;
        fetcher.close();
        await pool.close();
        await pixelFiles?.close();
      },
    };
  } catch (error) {
    await pool.close();
    await pixelFiles?.close();
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
  const logger = createLogger(config.logFormat, (line) => io.stderr(`${line}\n`));
  const origin = await startOrigin(config, { ...options, logger });
  const metrics = origin.metricsUrl ? `, metrics on ${origin.metricsUrl}metrics` : "";
  io.stdout(
    `imgflo origin listening on ${origin.url} (${config.renderConcurrency} GEGL workers x ${config.geglThreads} threads${metrics})\n`,
  );
  if (origin.runtimeUrl) io.stdout(`imgflo FBP runtime listening on ${origin.runtimeUrl}\n`);
  const signal = await firstStopSignal((line) => logger.info(line));
  logger.info(`${signal}: finishing the renders in flight (a second signal stops at once)`);
  await origin.close();
  return 0;
}

const STOP_SIGNALS = ["SIGTERM", "SIGINT"] as const;

/** Resolves with the first SIGTERM or SIGINT; a second one ends the process without draining. */
function firstStopSignal(log: (line: string) => void): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let received = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (received) {
        log(`${signal} again: stopping without waiting for the renders in flight`);
        // Raised again with no handler left, the signal ends the process the default way.
        for (const name of STOP_SIGNALS) process.off(name, onSignal);
        process.kill(process.pid, signal);
        return;
      }
      received = true;
      resolve(signal);
    };
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  });
}
