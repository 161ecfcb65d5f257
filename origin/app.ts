import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Context, Hono } from "hono";
import sharp from "sharp";
import packageJson from "../package.json" with { type: "json" };
import { asInvalidGraph, type Catalogue, catalogueDocument } from "../shared/catalogue.ts";
import { errorResponse, errors } from "../shared/errors.ts";
import { contentTypeOf } from "../shared/formats.ts";
import { parseGraphSource } from "../shared/graph-source.ts";
import { infoInput, splitInfoUrl } from "../shared/info-request.ts";
import {
  CACHE_KEY_HEADER,
  PUBLIC_BASE_HEADER,
  SHARED_RENDER_HEADER,
} from "../shared/origin-headers.ts";
import { type ProcessingRequest, parseProcessingRequest } from "../shared/processing-request.ts";
import { parseRenderGraphBody, readGraphText } from "../shared/render-graph.ts";
import { lookUpGraph, prepareRenderRequest } from "../shared/render-request.ts";
import { REQUEST_ID_HEADER, requestIds } from "../shared/request-id.ts";
import { serverTimingHeader } from "../shared/server-timing.ts";
import { constantTimeEqual } from "../shared/signature.ts";
import { testingUiLocation } from "../shared/testing-ui-location.ts";
import { trialRender } from "./catalogue-check.ts";
import {
  type CompiledGraphs,
  type ReadyGraph,
  sentCatalogueGraph,
} from "./compile/compiled-graphs.ts";
import { EDITOR_PAGE, EXAMPLES_DIR, TESTING_UI_PAGE } from "./config.ts";
import { describeImage } from "./image-info.ts";
import { detectFormat } from "./input/detect-format.ts";
import { fetchInput, type InputContext } from "./input/fetch-input.ts";
import type { Logger } from "./log.ts";
import { NO_LABEL, type OriginMetrics } from "./metrics.ts";
import { type RenderServices, render } from "./pipeline.ts";
import { type OriginEnv, observeRequests } from "./request-observer.ts";
import type { GeglVersions } from "./worker/gegl-pool.ts";

export interface OriginServices extends RenderServices {
  /** This origin's own graph files, served to requests that send no graph. */
  catalogue: Catalogue;
  graphs: CompiledGraphs;
  versions: GeglVersions;
  logger: Logger;
  metrics: OriginMetrics;
}

/** Where this origin's own paths live for relative inputs: a fixed name read in-process, never the request's Host. */
const OWN_ORIGIN = "http://origin.invalid";

const EXAMPLE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

function versionDocument(versions: GeglVersions) {
  return {
    server: { name: packageJson.name, version: packageJson.version },
    gegl: versions.gegl,
    babl: versions.babl,
    vips: sharp.versions.vips,
    sharp: sharp.versions.sharp,
    node: process.versions.node,
    libraries: sharp.versions,
  };
}

function healthDocument(services: OriginServices) {
  const { counters, ...queue } = services.queue.stats();
  const workers = { ...services.pool.stats(), geglThreads: services.config.geglThreads };
  return { status: "ok", queue, downloads: services.fetcher.stats(), workers, counters };
}

async function exampleFile(name: string): Promise<Response> {
  const bytes = EXAMPLE_NAME.test(name)
    ? await readFile(join(EXAMPLES_DIR, name)).catch(() => null)
    : null;
  if (!bytes) throw errors.notFound(`The file "${name}"`);
  return new Response(bytes, {
    headers: {
      "content-type": contentTypeOf(detectFormat(bytes)),
      "content-length": String(bytes.length),
    },
  });
}

/**
 * Where relative inputs resolve (`base`), and inputs on this origin itself (`own`), which are
 * read in-process through `app` with `headers`: no network hop, no address check.
 */
export function ownInputContext(
  app: Hono<OriginEnv>,
  own: { origin: string; base: string; headers: Record<string, string>; maxInputBytes: number },
): InputContext {
  const read = async (url: URL): Promise<Buffer> => {
    const response = await app.fetch(new Request(url, { headers: own.headers }));
    if (!response.ok) {
      throw errors.inputUnreachable(
        `${url.host} answered with status ${response.status}.`,
        "status",
      );
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > own.maxInputBytes) throw errors.inputTooLarge(own.maxInputBytes);
    return bytes;
  };
  return { base: own.base, fetchOwn: (url) => (url.origin === own.origin ? read(url) : null) };
}

/** The origin's HTTP interface: renders, catalogue, versions, health, metrics, the bundled examples, the testing UI and the editor. */
export function createApp(services: OriginServices): Hono<OriginEnv> {
  const { config, metrics } = services;
  const app = new Hono<OriginEnv>();

  // Failures are logged with their cause by observeRequests, once per request.
  app.onError((error, c) => errorResponse(error, c.get("requestId")));
  app.notFound((c) =>
    errorResponse(
      c.req.method === "GET" || c.req.method === "HEAD"
        ? errors.notFound(`The path ${new URL(c.req.url).pathname}`)
        : errors.methodNotAllowed(c.req.method),
      c.get("requestId"),
    ),
  );

  app.use("*", requestIds(), observeRequests(services.logger, metrics));
  app.get("/healthz", (c) => c.json(healthDocument(services)));

  app.use("*", async (c, next) => {
    const expected = config.originSecret === null ? null : `Bearer ${config.originSecret}`;
    if (expected !== null && !constantTimeEqual(c.req.header("authorization") ?? "", expected)) {
      throw errors.unauthorized();
    }
    await next();
  });

  app.get("/metrics", () => metrics.response());
  const uiPage = (file: string) => async (c: Context<OriginEnv>) => {
    const page = await readFile(file, "utf8").catch(() => null);
    if (page === null) throw errors.notFound('The testing UI (build it with "npm run setup")');
    return c.html(page, 200, { "cache-control": "no-cache" });
  };
  app.get("/", uiPage(TESTING_UI_PAGE));
  app.get("/editor", uiPage(EDITOR_PAGE));
  app.get("/version", (c) => c.json(versionDocument(services.versions)));
  app.get("/graphs", (c) => c.json(catalogueDocument(services.catalogue)));
  app.get("/files/:name", (c) => exampleFile(c.req.param("name")));

  /** Where the request's relative inputs live, and how this origin reads its own URLs. */
  function inputContext(c: Context<OriginEnv>): InputContext {
    const authorization = c.req.header("authorization");
    // A chained input is part of this request: it carries the same id.
    const headers: Record<string, string> = { [REQUEST_ID_HEADER]: c.get("requestId") };
    if (authorization) headers.authorization = authorization;
    return ownInputContext(app, {
      origin: OWN_ORIGIN,
      base: c.req.header(PUBLIC_BASE_HEADER) || `${OWN_ORIGIN}/`,
      headers,
      maxInputBytes: config.maxInputBytes,
    });
  }

  app.get("/info", async (c) => {
    const input = infoInput(splitInfoUrl(c.req.url));
    const bytes = await fetchInput(input, inputContext(c), services.fetcher);
    return c.json(await describeImage(bytes, config.maxPixels));
  });

  /**
   * The graph to render: the one the edge sent with the request (POST, shared/render-graph.ts),
   * else this origin's own file of that name.
   */
  async function graphToRender(
    c: Context<OriginEnv>,
    parsed: ProcessingRequest,
  ): Promise<ReadyGraph> {
    if (c.req.method !== "POST") {
      const graph = lookUpGraph(services.catalogue, parsed);
      return { graph, compiled: services.graphs.compiled(graph) };
    }
    const sent = parseRenderGraphBody(await readGraphText(c.req.raw));
    if (sent.name !== parsed.graph) {
      throw errors.invalidGraph(
        `The graph sent is "${sent.name}", the URL names "${parsed.graph}".`,
      );
    }
    const graph = sentCatalogueGraph(sent);
    return { graph, compiled: services.graphs.compiled(graph) };
  }

  const processing = async (c: Context<OriginEnv>) => {
    c.set("render", { graph: NO_LABEL, format: NO_LABEL });
    const parsed = parseProcessingRequest(c.req.url);
    if (parsed.debug) {
      c.set("render", null);
      return c.redirect(testingUiLocation(parsed), 302);
    }
    const { graph, compiled } = await graphToRender(c, parsed);
    const request = await prepareRenderRequest(graph, parsed, c.req.header("accept") ?? null);
    c.set("render", { graph: request.graph.name, format: parsed.format ?? NO_LABEL });
    // Edges in other isolates share renders here; the joiners' edges give back their quota unit.
    const joined = services.queue.has(request.cacheKey);
    const image = await render(request, compiled, inputContext(c), services);
    c.set("render", { graph: request.graph.name, format: image.format });
    c.set("rendered", image);
    // Node buffers are never backed by a SharedArrayBuffer here.
    return new Response(image.bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": contentTypeOf(image.format),
        "content-length": String(image.bytes.length),
        "server-timing": serverTimingHeader(image.trace.steps),
        [CACHE_KEY_HEADER]: request.cacheKey,
        ...(joined ? { [SHARED_RENDER_HEADER]: "1" } : {}),
      },
    });
  };
  app.on(["GET", "POST"], ["/graph/*", "/graphs/*"], processing);

  /**
   * A graph about to be published (contract §7), as FBP JSON or `.fbp` text: parsed, compiled
   * against this GEGL and rendered once with its defaults; answers its parsed definition and
   * hash, or 400 `invalid-graph` naming the culprit.
   */
  app.post("/graph-check/:name", async (c) => {
    const name = c.req.param("name");
    const kind = (c.req.header("content-type") ?? "").startsWith("text/plain") ? "fbp" : "json";
    const text = await readGraphText(c.req.raw);
    try {
      const graph = sentCatalogueGraph(parseGraphSource({ name, kind, text }));
      const compiled = services.graphs.compile(graph);
      await trialRender(graph, compiled, services.pool, config.renderTimeoutMs);
      return c.json({ name, hash: graph.hash, definition: graph.definition });
    } catch (error) {
      throw asInvalidGraph(error);
    }
  });

  return app;
}
