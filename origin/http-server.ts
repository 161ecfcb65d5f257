import { createServer, maxHeaderSize, type Server, STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";
import { getRequestListener, RequestError } from "@hono/node-server";
import { errorBody, errorResponse, errors, type ImgfloError } from "../shared/errors.ts";

/** What Node's HTTP parser attaches to the errors it reports (see the `clientError` event). */
interface ParserError extends Error {
  code?: string;
  reason?: string;
  rawPacket?: Buffer;
  bytesParsed?: number;
}

const METHOD_TOKEN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,32}(?= )/;
const REQUEST_LINE_START = /^[A-Za-z]+ /;

/** A request the parser refused, as the JSON error a request reaching Hono would get. */
function parserFailure(error: ParserError): ImgfloError {
  const raw = error.rawPacket?.toString("latin1") ?? "";
  switch (error.code) {
    case "HPE_HEADER_OVERFLOW": {
      // No line end before the parser gave up: the request line itself was too long.
      const parsed = raw.slice(0, error.bytesParsed ?? raw.length);
      return REQUEST_LINE_START.test(raw) && !parsed.includes("\n")
        ? errors.urlTooLong(maxHeaderSize)
        : errors.headersTooLarge(maxHeaderSize);
    }
    case "HPE_INVALID_METHOD":
      return errors.methodNotAllowed(METHOD_TOKEN.exec(raw)?.[0] ?? "(unreadable)");
    case "HPE_INVALID_URL":
      return errors.malformedUrl(
        "The request target has characters a URL may not hold (raw spaces, controls or non-ASCII bytes): percent-encode them.",
      );
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return errors.requestTimeout();
    default:
      return errors.malformedRequest(error.reason ?? "unreadable request");
  }
}

/** How long a refused connection is read (and its bytes dropped) after the answer, at most. */
const LINGER_MS = 5_000;

/**
 * The JSON error, without its body for a HEAD request (a client would read the body as a next
 * answer). The parser gives up before the end of what the client sends (16 KiB into a longer
 * request line), so the rest is read and dropped until the client closes: a socket closed with
 * bytes unread sends a reset, which can reach the client before it reads the answer and makes
 * its kernel drop it (a "lingering close", as nginx and Apache do).
 */
function answerOnSocket(socket: Duplex, error: ImgfloError, head: boolean): void {
  const body = JSON.stringify(errorBody(error));
  const linger = setTimeout(() => socket.destroy(), LINGER_MS);
  linger.unref();
  socket.once("close", () => clearTimeout(linger));
  // Node's parser, done with this connection, would refuse each further chunk again.
  socket.removeAllListeners("data");
  socket.on("data", () => {});
  socket.resume();
  socket.end(
    [
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ""}`,
      "content-type: application/json; charset=utf-8",
      "cache-control: no-store",
      `content-length: ${Buffer.byteLength(body)}`,
      "connection: close",
      "",
      head ? "" : body,
    ].join("\r\n"),
  );
}

/** Targets Node accepts but the adapter cannot turn into a URL (`GET *`, a bad Host header). */
function adapterFailure(error: unknown): Response {
  return errorResponse(
    error instanceof RequestError
      ? errors.malformedUrl(
          `The request target is not a path this server can read (${error.message.replace(/\.$/, "")}).`,
        )
      : error,
  );
}

/**
 * The origin's HTTP server: Hono behind @hono/node-server, and every request that never reaches
 * Hono (refused by Node's parser or by the adapter) answered with the same JSON errors.
 */
export function createOriginServer(
  fetch: (request: Request) => Response | Promise<Response>,
): Server {
  const server = createServer(getRequestListener(fetch, { errorHandler: adapterFailure }));
  server.on("clientError", (error: ParserError, socket: Duplex) => {
    // As Node's own handler: never write into a response already under way on this connection.
    const inFlight = (socket as Duplex & { _httpMessage?: { headersSent: boolean } })._httpMessage;
    if (error.code === "ECONNRESET" || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    answerOnSocket(
      socket,
      parserFailure(error),
      error.rawPacket?.subarray(0, 5).toString() === "HEAD ",
    );
  });
  return server;
}
