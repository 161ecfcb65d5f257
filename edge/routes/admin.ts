import { type Context, Hono, type MiddlewareHandler } from "hono";
import { errors } from "../../shared/errors.ts";
import { GRAPH_NAME } from "../../shared/processing-request.ts";
import { readGraphText } from "../../shared/render-graph.ts";
import { constantTimeEqual } from "../../shared/signature.ts";
import { configOf } from "../config.ts";
import type { EdgeEnv } from "../env.ts";
import { graphHistory, publishGraph, removeGraph, rollBackGraph } from "../graph-publishing.ts";
import { purgeResults, purgeSelector } from "../result-purge.ts";

/** What a publish body may be: FBP JSON, or the `.fbp` DSL as text. */
const GRAPH_TYPES = ["application/json", "text/plain"];
const MAX_NOTE_LENGTH = 1000;

/** Contract §7: `Authorization: Bearer <ADMIN_TOKEN>`; 401 without a token, 403 for a wrong one. */
const requireAdminToken: MiddlewareHandler<EdgeEnv> = async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  if (!header.toLowerCase().startsWith("bearer ")) throw errors.adminTokenRequired();
  const { adminToken } = configOf(c.env);
  if (adminToken === "" || !constantTimeEqual(header.slice(7).trim(), adminToken)) {
    throw errors.adminTokenRefused(adminToken !== "");
  }
  await next();
};

function graphName(c: Context<EdgeEnv>): string {
  const name = c.req.param("name") ?? "";
  if (!GRAPH_NAME.test(name)) {
    throw errors.malformedUrl(`"${name}" is not a valid graph name (letters, digits, _ and -).`);
  }
  return name;
}

async function graphSource(c: Context<EdgeEnv>) {
  const contentType = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (!contentType || !GRAPH_TYPES.includes(contentType)) {
    throw errors.unsupportedMediaType(contentType ?? "", GRAPH_TYPES);
  }
  return { contentType, text: await readGraphText(c.req.raw) };
}

function note(c: Context<EdgeEnv>): string {
  const text = c.req.query("note") ?? "";
  if (text.length > MAX_NOTE_LENGTH) {
    throw errors.invalidParameter("note", `is longer than ${MAX_NOTE_LENGTH} characters`);
  }
  return text;
}

async function rollbackVersion(c: Context<EdgeEnv>): Promise<number> {
  const body: unknown = await c.req.json().catch(() => null);
  const version = (body as { version?: unknown } | null)?.version;
  if (typeof version !== "number" || !Number.isSafeInteger(version) || version < 0) {
    throw errors.invalidParameter("version", 'must be given as {"version": N}, N a whole number');
  }
  return version;
}

const NO_STORE = { "cache-control": "no-store" };

/** The admin API of contract §7: publish, list the versions of, roll back and remove graphs; purge results. */
export const adminRoutes = new Hono<EdgeEnv>()
  .use("/admin/*", requireAdminToken)
  .put("/admin/graphs/:name", async (c) => {
    const published = await publishGraph(c.env.DB, configOf(c.env), {
      name: graphName(c),
      source: await graphSource(c),
      note: note(c),
      requestId: c.get("requestId"),
    });
    const { created, ...version } = published;
    return c.json(version, created ? 201 : 200, NO_STORE);
  })
  .get("/admin/graphs/:name/versions", async (c) =>
    c.json(await graphHistory(c.env.DB, graphName(c)), 200, NO_STORE),
  )
  .post("/admin/graphs/:name/rollback", async (c) => {
    const name = graphName(c);
    return c.json(await rollBackGraph(c.env.DB, name, await rollbackVersion(c)), 200, NO_STORE);
  })
  .delete("/admin/graphs/:name", async (c) =>
    c.json(await removeGraph(c.env.DB, graphName(c)), 200, NO_STORE),
  )
  .post("/admin/purge", async (c) => {
    const selector = purgeSelector(await c.req.json().catch(() => null));
    const origin = new URL(c.req.url).origin;
    const purged = await purgeResults(c.env, configOf(c.env), origin, selector);
    return c.json({ purged }, 200, NO_STORE);
  });
