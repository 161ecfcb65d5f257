import { ORIGIN_SETTINGS } from "./origin-settings.ts";
import type { Setting, SettingSide, SettingTable } from "./setting-types.ts";

/**
 * Every setting of imgflo-server: its name, type, default, bounds and meaning, and which side
 * reads it (the origin's in origin-settings.ts, for its length). The edge, the origin and
 * `imgflo-server dev` read theirs through readSettings (shared/read-settings.ts); the README's
 * configuration tables (npm run docs:settings) and the CLI's help are generated from here.
 */

/** The edge Worker: wrangler.toml's bindings and vars, and its secrets. */
export const EDGE_SETTINGS = {
  db: {
    name: "DB",
    type: "binding",
    kind: "D1 binding",
    defaultText: "database `imgflo`",
    description:
      "applications: keys, secrets (and a rotated one's previous secret), quotas, allowed sources; published graphs (`graph_versions`, `published_graphs`); the index of stored results for purges (`stored_results`, `result_sources`) (schema `shared/db-schema.ts`, migrations in `migrations/`)",
  },
  assets: {
    name: "ASSETS",
    type: "binding",
    kind: "Static Assets binding",
    defaultText: "folder `build/edge-assets`",
    description:
      "the testing UI page (`/`) and the example images (`/files/`), staged by `scripts/stage-edge-assets.ts`",
  },
  cache: {
    name: "CACHE",
    type: "binding",
    kind: "R2 binding",
    defaultText: "bucket `imgflo-cache`",
    description:
      "results (`results/<key>`), recorded failures (`failures/<key>`) and `/info` answers (`info/<key>`)",
  },
  prewarm: {
    name: "PREWARM",
    type: "binding",
    kind: "Queue binding (producer and consumer)",
    defaultText: "queue `imgflo-prewarm`",
    description: "pre-warm jobs from POST",
  },
  analytics: {
    name: "ANALYTICS",
    type: "binding",
    kind: "Analytics Engine binding (optional)",
    defaultText: "dataset `imgflo_requests`",
    description:
      "one data point per request (see [Observability](#observability)); without it nothing is written",
  },
  renderFleet: {
    name: "RENDER_FLEET",
    type: "binding",
    kind: "Durable Object binding (class `RenderContainer`, `[[containers]]`)",
    defaultText: "image `docker/Dockerfile`, `standard-1`, `max_instances = 4`",
    description: "the render fleet on Cloudflare Containers, used when `ORIGIN_URLS` is empty",
  },
  observability: {
    name: "[observability]",
    type: "binding",
    kind: "Workers Logs",
    defaultText: "`enabled = true`, `head_sampling_rate = 1`",
    description:
      "every invocation (status, duration) and the edge's log lines (see [Observability](#observability)); a rate below 1 samples whole invocations, their error lines included",
  },
  originUrls: {
    name: "ORIGIN_URLS",
    type: "url-list",
    localStack: "its local origin",
    description:
      "comma-separated base URLs of self-hosted origins; when set they serve every miss and the fleet is not used",
  },
  fleetInstances: {
    name: "FLEET_INSTANCES",
    type: "integer",
    default: 0,
    min: 0,
    description:
      "named fleet instances misses are spread over by cache key (at most `max_instances`; `0` turns the fleet off; wrangler.toml sets `4`)",
  },
  publicUrl: {
    name: "PUBLIC_URL",
    type: "url",
    default: "required",
    localStack: "`http://127.0.0.1:<EDGE_PORT>`",
    description:
      "this edge's public base URL (wrangler.toml: `https://img.example.com`); relative inputs (`files/…`, `graph/…`) resolve against it, never against a request's `Host`",
  },
  allowUnsigned: {
    name: "ALLOW_UNSIGNED",
    type: "boolean",
    default: false,
    localStack: "true",
    description: "serve `/graph/<graph>` without key and token",
  },
  r2PublicUrl: {
    name: "R2_PUBLIC_URL",
    type: "url",
    default: null,
    description: "when set, redirects point at this public bucket URL instead of `/cache/`",
  },
  failureTtlS: {
    name: "FAILURE_TTL_S",
    type: "seconds",
    default: 600,
    description: "how long a 4xx render failure is replayed",
  },
  originTimeoutS: {
    name: "ORIGIN_TIMEOUT_S",
    type: "seconds",
    default: 60,
    description: "how long one origin may take before the next is tried",
  },
  originSecret: {
    name: "ORIGIN_SECRET",
    type: "text",
    secret: true,
    default: "",
    localStack: "generated per start",
    description: "bearer token the edge sends to the origins (a wrangler secret)",
  },
  adminToken: {
    name: "ADMIN_TOKEN",
    type: "text",
    secret: true,
    default: "",
    localStack: "its environment's, else a generated one it prints",
    description:
      "bearer token of the admin API (`/admin/…`: publishing graphs; a wrangler secret); without it the admin API refuses every request",
  },
} as const satisfies SettingTable;

/** `imgflo-server dev` (`npm start`): the local stack of one origin and one edge. */
export const DEV_SETTINGS = {
  port: {
    name: "PORT",
    type: "integer",
    default: 8080,
    min: 1,
    max: 65535,
    description: "the origin's port",
  },
  edgePort: {
    name: "EDGE_PORT",
    type: "integer",
    default: 8787,
    min: 1,
    max: 65535,
    description: "the edge's port (wrangler dev, local D1/R2/Queues)",
  },
  runtimePort: {
    name: "RUNTIME_PORT",
    type: "integer",
    default: 3569,
    min: 1,
    max: 65535,
    description: "the graph editor's FBP runtime, on loopback",
  },
  logFormat: {
    name: "LOG_FORMAT",
    type: "choice",
    choices: ["json", "pretty"],
    default: "pretty",
    description: "the origin's log lines (a person reads this terminal)",
  },
  adminToken: {
    name: "ADMIN_TOKEN",
    type: "text",
    secret: true,
    default: null,
    defaultText: "a new one each start (32 random bytes, hex), printed",
    description:
      "bearer token of the edge's admin API, 16 or more of `A-Z a-z 0-9 . _ ~ + / = -`: handed to `wrangler dev` with `ORIGIN_SECRET` in the mode-0600 file `dev-secrets.env` of the state folder (`--persist-to`, default `.wrangler/state`), never on a command line, and put in the editor's printed address",
  },
} as const satisfies SettingTable;

/** Each side's settings, in the README's order. */
export const SETTINGS: Readonly<Record<SettingSide, readonly Setting[]>> = {
  edge: Object.values(EDGE_SETTINGS),
  origin: Object.values(ORIGIN_SETTINGS),
  dev: Object.values(DEV_SETTINGS),
};
