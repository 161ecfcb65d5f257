import { Container } from "@cloudflare/containers";

/**
 * One instance of the render fleet: the origin's Docker image (docker/Dockerfile) run by
 * Cloudflare Containers, one instance per Durable Object name (edge/fleet-origins.ts picks it).
 * Sized for instance_type standard-1 in wrangler.toml: 1/2 vCPU, so one GEGL worker of one thread.
 */
export class RenderContainer extends Container<Env> {
  override defaultPort = 8080;
  // Long enough to keep a busy instance warm between bursts, short enough that an idle one stops billing.
  override sleepAfter = "5m";
  // Inputs are fetched from anywhere on the internet.
  override enableInternet = true;
  override envVars = {
    PORT: "8080",
    HOST: "0.0.0.0",
    ORIGIN_SECRET: this.env.ORIGIN_SECRET,
    RENDER_CONCURRENCY: "1",
    GEGL_THREADS: "1",
  };
}
