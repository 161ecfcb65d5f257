/** What the routes tell the request observer about a request (its log line, Analytics Engine). */
export interface EdgeVariables {
  requestId: string;
  /** Processing requests: served from R2, rendered now, or a recorded failure replayed. */
  cache: "hit" | "miss" | "failure";
  /** The key of the application that signed the URL. */
  application: string;
}

/** The Worker's Hono environment: wrangler.toml's bindings (`Env`) and the per-request variables. */
export type EdgeEnv = { Bindings: Env; Variables: EdgeVariables };
