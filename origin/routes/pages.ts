import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Context, Hono } from "hono";
import sharp from "sharp";
import packageJson from "../../package.json" with { type: "json" };
import { catalogueDocument } from "../../shared/catalogue.ts";
import { errors } from "../../shared/errors.ts";
import { contentTypeOf } from "../../shared/formats.ts";
import { EDITOR_PAGE, EXAMPLES_DIR, TESTING_UI_PAGE } from "../config.ts";
import { detectFormat } from "../input/detect-format.ts";
import type { OriginEnv } from "../request-observer.ts";
import type { OriginServices } from "../services.ts";
import type { GeglVersions } from "../worker/gegl-pool.ts";

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

const uiPage = (file: string) => async (c: Context<OriginEnv>) => {
  const page = await readFile(file, "utf8").catch(() => null);
  if (page === null) throw errors.notFound('The testing UI (build it with "npm run setup")');
  return c.html(page, 200, { "cache-control": "no-cache" });
};

/** What the origin serves besides renders: the testing UI, the editor, versions, its catalogue and the example files. */
export function pageRoutes(app: Hono<OriginEnv>, services: OriginServices): void {
  app.get("/", uiPage(TESTING_UI_PAGE));
  app.get("/editor", uiPage(EDITOR_PAGE));
  app.get("/version", (c) => c.json(versionDocument(services.versions)));
  app.get("/graphs", (c) => c.json(catalogueDocument(services.catalogue)));
  app.get("/files/:name", (c) => exampleFile(c.req.param("name")));
}
