import type { Context, Hono } from "hono";
import { errors } from "../../shared/errors.ts";
import { PUBLIC_BASE_HEADER } from "../../shared/origin-headers.ts";
import { REQUEST_ID_HEADER } from "../../shared/request-id.ts";
import type { InputContext } from "../input/fetch-input.ts";
import type { OriginEnv } from "../request-observer.ts";

/** Where this origin's own paths live for relative inputs: a fixed name read in-process, never the request's Host. */
const OWN_ORIGIN = "http://origin.invalid";

/**
 * Where relative inputs resolve (`base`), and inputs on this origin itself (`own`), which are
 * read in-process through `app` with `headers`: no network hop, no address check.
 */
export function ownInputContext(
  app: Hono<OriginEnv>,
  own: { origin: string; base: string; headers: Record<string, string>; maxInputBytes: number },
): InputContext {
  const read = async (url: URL): Promise<Buffer> => {
    const response = await app.fetch(new Request(url, { headers: own.headers }));
    if (!response.ok) {
      throw errors.inputUnreachable(
        `${url.host} answered with status ${response.status}.`,
        "status",
      );
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    if (bytes.length > own.maxInputBytes) throw errors.inputTooLarge(own.maxInputBytes);
    return bytes;
  };
  return { base: own.base, fetchOwn: (url) => (url.origin === own.origin ? read(url) : null) };
}

/** Where a request's relative inputs live, and how this origin reads its own URLs. */
export function requestInputContext(
  app: Hono<OriginEnv>,
  c: Context<OriginEnv>,
  maxInputBytes: number,
): InputContext {
  const authorization = c.req.header("authorization");
  // A chained input is part of this request: it carries the same id.
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: c.get("requestId") };
  if (authorization) headers.authorization = authorization;
  return ownInputContext(app, {
    origin: OWN_ORIGIN,
    base: c.req.header(PUBLIC_BASE_HEADER) || `${OWN_ORIGIN}/`,
    headers,
    maxInputBytes,
  });
}
