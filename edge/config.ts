import { readSettings } from "../shared/read-settings.ts";
import { EDGE_SETTINGS } from "../shared/settings.ts";
import type { Fleet } from "./origin-types.ts";

/** The Worker's configuration, read from its bindings once per isolate (see wrangler.toml, shared/settings.ts). */
export interface EdgeConfig {
  /** Self-hosted origins; when there are any they serve every miss and the fleet is not used. */
  originUrls: readonly string[];
  /** The render fleet on Cloudflare Containers; null without the binding or with FLEET_INSTANCES 0. */
  fleet: Fleet | null;
  originSecret: string;
  /** The admin API's bearer token (ADMIN_TOKEN); empty: every admin request is refused. */
  adminToken: string;
  /** This edge's public base URL, without a trailing slash: relative inputs resolve against it, never against a request's Host. */
  publicUrl: string;
  allowUnsigned: boolean;
  /** Base URL of the public R2 bucket, without a trailing slash; null when redirects stay on this host. */
  r2PublicUrl: string | null;
  failureTtlMs: number;
  originTimeoutMs: number;
}

export function readConfig(env: Env): EdgeConfig {
  const { fleetInstances, failureTtlS, originTimeoutS, ...settings } = readSettings(
    env as unknown as Record<string, unknown>,
    EDGE_SETTINGS,
  );
  return {
    ...settings,
    fleet:
      env.RENDER_FLEET && fleetInstances > 0
        ? { namespace: env.RENDER_FLEET, instances: fleetInstances }
        : null,
    failureTtlMs: failureTtlS * 1000,
    originTimeoutMs: originTimeoutS * 1000,
  };
}

const configs = new WeakMap<Env, EdgeConfig>();

/** The bindings object is the same for every request of an isolate, so this parses once. */
export function configOf(env: Env): EdgeConfig {
  let config = configs.get(env);
  if (!config) {
    config = readConfig(env);
    configs.set(env, config);
  }
  return config;
}
