import { Hono } from "hono";
import packageJson from "../../package.json";
import type { EdgeEnv } from "../app.ts";
import { configOf, type EdgeConfig } from "../config.ts";

const PROBE_TIMEOUT_MS = 3000;

/** One origin's answer to a status request; origins are numbered, their addresses stay private. */
interface OriginStatus {
  origin: number;
  ok: boolean;
  status?: number;
  body?: unknown;
  error?: string;
}

function probeOrigins(config: EdgeConfig, path: string): Promise<OriginStatus[]> {
  return Promise.all(
    config.originUrls.map(async (url, index): Promise<OriginStatus> => {
      const origin = index + 1;
      try {
        const response = await fetch(`${url}${path}`, {
          headers: { authorization: `Bearer ${config.originSecret}` },
          signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
        });
        const body: unknown = await response.json().catch(() => null);
        return { origin, ok: response.ok, status: response.status, body };
      } catch (error) {
        const reason = (error as Error).name === "TimeoutError" ? "timed out" : "unreachable";
        return { origin, ok: false, error: reason };
      }
    }),
  );
}

const NO_STORE = { "cache-control": "no-store" };

/** `/healthz` (the edge answers, so it is alive; each origin as it answers) and `/version`. */
export const statusRoutes = new Hono<EdgeEnv>()
  .get("/healthz", async (c) => {
    const origins = await probeOrigins(configOf(c.env), "/healthz");
    const up = origins.filter((origin) => origin.ok).length;
    const status = up === origins.length ? "ok" : up > 0 ? "degraded" : "origins-down";
    return c.json({ status, edge: "ok", origins }, 200, NO_STORE);
  })
  .get("/version", async (c) => {
    const origins = await probeOrigins(configOf(c.env), "/version");
    const server = { name: packageJson.name, version: packageJson.version };
    return c.json({ server, edge: { runtime: "workerd" }, origins }, 200, NO_STORE);
  });
