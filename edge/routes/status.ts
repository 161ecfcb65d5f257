import { type Context, Hono } from "hono";
import packageJson from "../../package.json";
import { constantTimeEqual } from "../../shared/signature.ts";
import { configOf, type EdgeConfig } from "../config.ts";
import type { EdgeEnv } from "../env.ts";
import { IsolateCache } from "../isolate-cache.ts";
import { callOrigin, selfHostedOrigin, unreachableReason } from "../origins.ts";

const PROBE_TIMEOUT_MS = 3000;

/** One origin's answer to a status request; origins are numbered, their addresses stay private. */
interface OriginStatus {
  origin: number;
  ok: boolean;
  status?: number;
  body?: unknown;
  error?: string;
}

/** The fan-out to every origin, shared by the calls of a few seconds: public routes must not multiply it. */
const recentProbes = new IsolateCache<Promise<OriginStatus[]>>(5000, 4);

function probeOrigins(config: EdgeConfig, path: string): Promise<OriginStatus[]> {
  return Promise.all(
    config.originUrls.map(async (url, index): Promise<OriginStatus> => {
      const origin = index + 1;
      try {
        const response = await callOrigin(selfHostedOrigin(url), path, config, {
          timeoutMs: PROBE_TIMEOUT_MS,
        });
        const body: unknown = await response.json().catch(() => null);
        return { origin, ok: response.ok, status: response.status, body };
      } catch (error) {
        return { origin, ok: false, error: unreachableReason(error) };
      }
    }),
  );
}

function recentlyProbed(c: Context<EdgeEnv>, config: EdgeConfig, path: "/healthz" | "/version") {
  const known = recentProbes.get(path);
  if (known) return known;
  const probing = recentProbes.set(path, probeOrigins(config, path));
  // Later callers wait on it too: it must finish even if this caller goes away.
  c.executionCtx.waitUntil(probing);
  return probing;
}

/** Whether the caller holds the origin secret, and so may see worker PIDs, queues and library versions. */
function isOperator(c: Context<EdgeEnv>, config: EdgeConfig): boolean {
  const given = c.req.header("authorization") ?? "";
  return config.originSecret !== "" && constantTimeEqual(given, `Bearer ${config.originSecret}`);
}

/** The engines contract §6 names; everything else an origin reports is for operators. */
const PUBLIC_VERSIONS = ["gegl", "babl", "vips", "sharp"];

function publicVersions(body: unknown): Record<string, unknown> {
  const versions = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(PUBLIC_VERSIONS.map((name) => [name, versions[name]]));
}

const NO_STORE = { "cache-control": "no-store" };

/** `/healthz` (the edge answers, so it is alive; each origin as it answers) and `/version`. */
export const statusRoutes = new Hono<EdgeEnv>()
  .get("/healthz", async (c) => {
    const config = configOf(c.env);
    const probed = await recentlyProbed(c, config, "/healthz");
    const up = probed.filter((origin) => origin.ok).length;
    const status = up === probed.length ? "ok" : up > 0 ? "degraded" : "origins-down";
    const origins = isOperator(c, config) ? probed : probed.map(({ body: _, ...rest }) => rest);
    return c.json({ status, edge: "ok", origins }, 200, NO_STORE);
  })
  .get("/version", async (c) => {
    const config = configOf(c.env);
    const probed = await recentlyProbed(c, config, "/version");
    const origins = isOperator(c, config)
      ? probed
      : probed.map((origin) => ({ ...origin, body: publicVersions(origin.body) }));
    const server = { name: packageJson.name, version: packageJson.version };
    return c.json({ server, edge: { runtime: "workerd" }, origins }, 200, NO_STORE);
  });
