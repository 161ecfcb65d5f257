import { DurableObject } from "cloudflare:workers";
import edge from "../../edge/index.ts";
import type { OriginJob } from "../../edge/origin-types.ts";

/** The bindings of this test Worker: the edge's, plus what the test double needs. */
interface FleetTestEnv extends Env {
  /** Base URL of the real local origin every instance forwards to. */
  FLEET_TEST_ORIGIN: string;
  /** Comma-separated instance names that answer like an instance that cannot start. */
  FLEET_TEST_DOWN: string;
}

/**
 * Test double of edge/render-container.ts. Cloudflare Containers cannot run here (wrangler dev
 * needs Docker with a bridge network), so each named instance forwards its requests to a real
 * local origin process and counts them (in its storage, which outlives an evicted object); an instance listed in FLEET_TEST_DOWN answers as
 * @cloudflare/containers does when an instance fails to start (500, plain text).
 */
export class RenderContainer extends DurableObject<FleetTestEnv> {
  override async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const served = (await this.ctx.storage.get<number>("served")) ?? 0;
    if (url.pathname === "/__served") return Response.json({ served });
    const name = this.ctx.id.name ?? "";
    if (this.env.FLEET_TEST_DOWN.split(",").includes(name)) {
      return new Response(`Failed to start container: ${name} is down in this test`, {
        status: 500,
      });
    }
    await this.ctx.storage.put("served", served + 1);
    return fetch(new URL(`${url.pathname}${url.search}`, this.env.FLEET_TEST_ORIGIN), request);
  }
}

/** The edge, plus `GET /__fleet/<name>`: how many requests that instance served. */
export default {
  fetch(request, env, ctx) {
    const name = /^\/__fleet\/([\w-]+)$/.exec(new URL(request.url).pathname)?.[1];
    if (name) return env.RENDER_FLEET.getByName(name).fetch("http://fleet/__served");
    return edge.fetch(request, env, ctx);
  },
  queue: edge.queue,
} satisfies ExportedHandler<FleetTestEnv, OriginJob>;
