import { errors } from "../shared/errors.ts";
import type { Signature, SignedParts } from "../shared/processing-request.ts";
import { verifyToken } from "../shared/signature.ts";
import type { EdgeConfig } from "./config.ts";
import { findApplication, takeFromQuota } from "./db/applications.ts";
import type { Application } from "./db/schema.ts";
import { IsolateCache } from "./isolate-cache.ts";

/** Who asked: an application that signed the URL, or anyone (unsigned form, when allowed). */
export type Requester = { kind: "anyone" } | { kind: "application"; application: Application };

const ANYONE: Requester = { kind: "anyone" };

/** Application rows (null for unknown keys) seen recently, so cache hits skip D1; changes show within 30 s. */
const recent = new IsolateCache<Application | null>(30_000, 1000);

async function lookUp(db: D1Database, key: string): Promise<Application | null> {
  const known = recent.get(key);
  return known !== undefined ? known : recent.set(key, await findApplication(db, key));
}

// Miniflare (wrangler dev) re-serialises the query and percent-encodes these characters,
// which clients such as imgflo-url send bare; workerd on its own passes the query through.
const RESERIALISED = /%(22|27|3C|3E)/g;

function tokenMatches(request: SignedParts, signature: Signature, secret: string): boolean {
  const { graphSpec, rawSearch } = request;
  if (verifyToken(signature.token, graphSpec, rawSearch, secret)) return true;
  const asSent = rawSearch.replace(RESERIALISED, (encoded) => decodeURIComponent(encoded));
  return asSent !== rawSearch && verifyToken(signature.token, graphSpec, asSent, secret);
}

/** Contract §2: an unknown key, a wrong token or a disabled application is refused, cached or not. */
export async function checkSignature(
  db: D1Database,
  config: EdgeConfig,
  request: SignedParts,
): Promise<Requester> {
  const { signature } = request;
  if (!signature) {
    if (!config.allowUnsigned) throw errors.signatureRequired();
    return ANYONE;
  }
  const application = await lookUp(db, signature.key);
  if (!application || !tokenMatches(request, signature, application.secret)) {
    throw errors.invalidSignature();
  }
  if (!application.enabled) throw errors.applicationDisabled();
  return { kind: "application", application };
}

/** A new render counts against the application's quota; a quota of 0 allows cached results only. */
export async function claimRender(db: D1Database, requester: Requester): Promise<void> {
  if (requester.kind === "anyone") return;
  const { application } = requester;
  if (application.processingQuota === null) return;
  const left = application.processingQuota > 0 ? await takeFromQuota(db, application.key) : null;
  recent.set(application.key, { ...application, processingQuota: left ?? 0 });
  if (left === null) throw errors.quotaExceeded();
}
