import type { Application } from "../shared/db-schema.ts";
import { errors } from "../shared/errors.ts";
import type { Signature, SignedParts } from "../shared/processing-request.ts";
import { verifyToken } from "../shared/signature.ts";
import { checkSources } from "../shared/source-patterns.ts";
import { checkNotExpired, expiresOf } from "../shared/url-expiry.ts";
import type { EdgeConfig } from "./config.ts";
import { findApplication, giveBackToQuota, takeFromQuota } from "./db/applications.ts";
import { IsolateCache } from "./isolate-cache.ts";

/**
 * Who asked: an application that signed the URL, with the URL's `expires` (null without), or
 * anyone (unsigned form, when allowed).
 */
export type Requester =
  | { kind: "anyone" }
  | { kind: "application"; application: Application; expires: number | null };

const ANYONE: Requester = { kind: "anyone" };

/**
 * Application rows (null for unknown keys) seen recently, so cache hits skip D1; changes show
 * within 30 s, a rotated secret too. The end of the previous secret's grace is in the row, so
 * that one is kept to the second.
 */
const recent = new IsolateCache<Application | null>(30_000, 1000);

async function lookUp(db: D1Database, key: string): Promise<Application | null> {
  const known = recent.get(key);
  return known !== undefined ? known : recent.set(key, await findApplication(db, key));
}

// Miniflare (wrangler dev) re-serialises the query and percent-encodes these characters,
// which clients such as imgflo-url send bare; workerd on its own passes the query through.
const RESERIALISED = /%(22|27|3C|3E)/g;

function tokenMatches(parts: SignedParts, signature: Signature, secret: string): boolean {
  const { graphSpec, rawSearch } = parts;
  if (verifyToken(signature.token, graphSpec, rawSearch, secret)) return true;
  const asSent = rawSearch.replace(RESERIALISED, (encoded) => decodeURIComponent(encoded));
  return asSent !== rawSearch && verifyToken(signature.token, graphSpec, asSent, secret);
}

/** The current secret, or the previous one until its grace ends (`app rotate`). */
function signedByApplication(
  parts: SignedParts,
  signature: Signature,
  application: Application,
): boolean {
  if (tokenMatches(parts, signature, application.secret)) return true;
  const { previousSecret, previousSecretExpires } = application;
  return (
    previousSecret !== null &&
    previousSecretExpires !== null &&
    Date.now() < previousSecretExpires * 1000 &&
    tokenMatches(parts, signature, previousSecret)
  );
}

/**
 * Contract §2: an unknown key, a wrong token, an expired URL or a disabled application is
 * refused, cached or not. Runs on the URL's signed parts alone, before any other parameter is
 * validated (`expires` is covered by the token: it is read once the token is known to be good).
 */
export async function checkSignature(
  db: D1Database,
  config: EdgeConfig,
  parts: SignedParts,
): Promise<Requester> {
  const { signature } = parts;
  if (!signature) {
    if (!config.allowUnsigned) throw errors.signatureRequired();
    return ANYONE;
  }
  const application = await lookUp(db, signature.key);
  if (!application || !signedByApplication(parts, signature, application)) {
    throw errors.invalidSignature();
  }
  const expires = expiresOf(parts.rawSearch);
  checkNotExpired(expires, Date.now());
  if (!application.enabled) throw errors.applicationDisabled();
  return { kind: "application", application, expires };
}

/** Contract §2: an application's requests name only image URLs its allowed sources match. */
export function checkImageSources(
  requester: Requester,
  imageUrls: readonly string[],
  config: EdgeConfig,
): void {
  if (requester.kind === "application") {
    checkSources(imageUrls, requester.application.allowedSources, config.publicUrl);
  }
}

/** The URL's `expires` (signed URLs only): what caches of its answers must not outlive. */
export function urlExpiry(requester: Requester): number | null {
  return requester.kind === "application" ? requester.expires : null;
}

/**
 * Who pays for a new render: the key of an application with a limited quota, null when nobody
 * counts. A quota known to be 0 allows cached results only, even a render already in flight.
 */
export function renderPayer(requester: Requester): string | null {
  if (requester.kind === "anyone") return null;
  const { key, processingQuota } = requester.application;
  if (processingQuota === 0) throw errors.quotaExceeded();
  return processingQuota === null ? null : key;
}

function rememberQuota(key: string, left: number): void {
  const known = recent.get(key);
  if (known) recent.set(key, { ...known, processingQuota: left });
}

/** Takes one unit from the payer's quota as its render starts; 403 when none is left. */
export async function chargeRender(db: D1Database, payer: string | null): Promise<void> {
  if (payer === null) return;
  const left = await takeFromQuota(db, payer);
  rememberQuota(payer, left ?? 0);
  if (left === null) throw errors.quotaExceeded();
}

/** Gives back the unit of a render that failed: only results count against a quota. */
export async function refundRender(db: D1Database, payer: string | null): Promise<void> {
  if (payer === null) return;
  const left = await giveBackToQuota(db, payer);
  if (left !== null) rememberQuota(payer, left);
}
