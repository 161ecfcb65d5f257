import type { Fleet } from "./origin-types.ts";

/** The Worker's configuration, read from its bindings once per isolate (see wrangler.toml). */
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

const DEFAULT_FAILURE_TTL_S = 600;
const DEFAULT_ORIGIN_TIMEOUT_S = 60;

function positiveSeconds(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text.trim() === "") return fallback * 1000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`${name} must be a positive number of seconds (got "${text}").`);
  }
  return seconds * 1000;
}

function httpUrl(name: string, text: string): string {
  const url = text.trim().replace(/\/+$/, "");
  if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
    throw new Error(`${name} holds "${url}", which is not an http(s) URL.`);
  }
  return url;
}

function originUrls(text: string): string[] {
  return text
    .split(",")
    .filter((url) => url.trim() !== "")
    .map((url) => httpUrl("ORIGIN_URLS", url));
}

function fleetOf(env: Env): Fleet | null {
  const text = (env.FLEET_INSTANCES ?? "").trim();
  const instances = text === "" ? 0 : Number(text);
  if (!Number.isInteger(instances) || instances < 0) {
    throw new Error(`FLEET_INSTANCES must be a whole number of instances (got "${text}").`);
  }
  return env.RENDER_FLEET && instances > 0 ? { namespace: env.RENDER_FLEET, instances } : null;
}

export function readConfig(env: Env): EdgeConfig {
  const r2PublicUrl = (env.R2_PUBLIC_URL ?? "").trim().replace(/\/+$/, "");
  return {
    originUrls: originUrls(env.ORIGIN_URLS ?? ""),
    fleet: fleetOf(env),
    originSecret: env.ORIGIN_SECRET ?? "",
    adminToken: env.ADMIN_TOKEN ?? "",
    publicUrl: httpUrl("PUBLIC_URL", env.PUBLIC_URL ?? ""),
    allowUnsigned: (env.ALLOW_UNSIGNED ?? "").trim().toLowerCase() === "true",
    r2PublicUrl: r2PublicUrl === "" ? null : r2PublicUrl,
    failureTtlMs: positiveSeconds("FAILURE_TTL_S", env.FAILURE_TTL_S, DEFAULT_FAILURE_TTL_S),
    originTimeoutMs: positiveSeconds(
      "ORIGIN_TIMEOUT_S",
      env.ORIGIN_TIMEOUT_S,
      DEFAULT_ORIGIN_TIMEOUT_S,
    ),
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
