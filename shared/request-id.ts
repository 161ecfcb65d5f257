import type { MiddlewareHandler } from "hono";

/** The header that carries a request's id from the client through the edge to the origin and back. */
export const REQUEST_ID_HEADER = "x-request-id";

// Ids clients commonly send (UUIDs, trace ids, ULIDs); nothing that could break a log line or a header.
const WELL_FORMED = /^[A-Za-z0-9._:-]{1,128}$/;

/** The client's id when it is well-formed, else a fresh one. */
export function requestIdFrom(header: string | null | undefined): string {
  return header && WELL_FORMED.test(header) ? header : crypto.randomUUID();
}

/** Hono middleware of both sides: the request's id in `c.var.requestId`, and in the answer. */
export function requestIds(): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async (c, next) => {
    const requestId = requestIdFrom(c.req.header(REQUEST_ID_HEADER));
    c.set("requestId", requestId);
    await next();
    c.header(REQUEST_ID_HEADER, requestId);
  };
}
