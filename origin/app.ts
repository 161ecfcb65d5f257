import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Context, Hono } from "hono";
import sharp from "sharp";
import packageJson from "../package.json" with { type: "json" };
import { type Catalogue, catalogueDocument } from "../shared/catalogue.ts";
import { errorResponse, errors, isImgfloError } from "../shared/errors.ts";
import { contentTypeOf } from "../shared/formats.ts";
import { parseInfoRequest } from "../shared/info-request.ts";
import { CACHE_KEY_HEADER, PUBLIC_BASE_HEADER } from "../shared/origin-headers.ts";
import { parseProcessingRequest } from "../shared/processing-request.ts";
import { prepareRenderRequest } from "../shared/render-request.ts";
import { constantTimeEqual } from "../shared/signature.ts";
import { testingUiLocation } from "../shared/testing-ui-location.ts";
import { EXAMPLES_DIR, TESTING_UI_PAGE } from "./config.ts";
import { describeImage } from "./render/describe-image.ts";
import { detectFormat } from "./render/detect-format.ts";
import type { GeglVersions } from "./render/gegl-pool.ts";
import { fetchStep, type InputContext, type RenderServices, render } from "./render/pipeline.ts";

export interface OriginServices extends RenderServices {
  catalogue: Catalogue;
  versions: GeglVersions;
  log: (line: string) => void;
}

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
  return { status: "ok", queue, workers, counters };
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

/** The origin's HTTP interface: renders, catalogue, versions, health, the bundled examples and the testing UI. */
export function createApp(services: OriginServices): Hono {
  const { config, log } = services;
  const app = new Hono();

  /** Inputs on this origin itself are read in-process: no network hop, no address check. */
  async function readOwn(url: URL, authorization: string | undefined): Promise<Buffer> {
    const response = await app.fetch(
      new Request(url, { headers: authorization ? { authorization } : {} }),
    );
    if (!response.ok) {
      throw errors.inputUnreachable(`${url.host} answered with status ${response.status}.`);
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > config.maxInputBytes) throw errors.inputTooLarge(config.maxInputBytes);
    return bytes;
  }

  app.onError((error) => {
    if (!isImgfloError(error) || error.status >= 500) log(`error: ${error.stack ?? error.message}`);
    return errorResponse(error);
  });
  app.notFound((c) =>
    errorResponse(
      c.req.method === "GET" || c.req.method === "HEAD"
        ? errors.notFound(`The path ${new URL(c.req.url).pathname}`)
        : errors.methodNotAllowed(c.req.method),
    ),
  );

  app.get("/healthz", (c) => c.json(healthDocument(services)));

  app.use("*", async (c, next) => {
    const expected = config.originSecret === null ? null : `Bearer ${config.originSecret}`;
    if (expected !== null && !constantTimeEqual(c.req.header("authorization") ?? "", expected)) {
      return errorResponse(errors.unauthorized());
    }
    await next();
  });

  app.get("/", async (c) => {
    const page = await readFile(TESTING_UI_PAGE, "utf8").catch(() => null);
    if (page === null) throw errors.notFound('The testing UI (build it with "npm run setup")');
    return c.html(page, 200, { "cache-control": "no-cache" });
  });
  app.get("/version", (c) => c.json(versionDocument(services.versions)));
  app.get("/graphs", (c) => c.json(catalogueDocument(services.catalogue)));
  app.get("/files/:name", (c) => exampleFile(c.req.param("name")));

  /** Where the request's relative inputs live, and how this origin reads its own URLs. */
  function inputContext(c: Context): InputContext {
    const own = new URL(c.req.url).origin;
    const authorization = c.req.header("authorization");
    return {
      base: c.req.header(PUBLIC_BASE_HEADER) || `${own}/`,
      fetchOwn: (url) => (url.origin === own ? readOwn(url, authorization) : null),
    };
  }

  app.get("/info", async (c) => {
    const { input } = parseInfoRequest(c.req.url);
    const bytes = await fetchStep(input, inputContext(c), services.fetcher);
    return c.json(await describeImage(bytes, config.maxPixels));
  });

  const processing = async (c: Context) => {
    const parsed = parseProcessingRequest(c.req.url);
    if (parsed.debug) return c.redirect(testingUiLocation(parsed), 302);
    const request = await prepareRenderRequest(
      services.catalogue,
      parsed,
      c.req.header("accept") ?? null,
    );
    const image = await render(request, inputContext(c), services);
    // Node buffers are never backed by a SharedArrayBuffer here.
    return new Response(image.bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": contentTypeOf(image.format),
        "content-length": String(image.bytes.length),
        [CACHE_KEY_HEADER]: request.cacheKey,
      },
    });
  };
  app.get("/graph/*", processing);
  app.get("/graphs/*", processing);

  return app;
}
