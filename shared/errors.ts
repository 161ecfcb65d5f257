import { INPUT_FORMATS } from "./formats.ts";
import { REQUEST_ID_HEADER } from "./request-id.ts";

/** Every error a user can cause, with its HTTP status and a stable code slug. */
export class ImgfloError extends Error {
  /** A failure of an image (fetch, size, type) made for another image: see `ofImage`. */
  forImage: ((image: string) => ImgfloError) | null = null;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ImgfloError";
  }
}

export interface ErrorBody {
  error: string;
  code: string;
  [detail: string]: unknown;
}

/** Why an input could not be fetched (a detail of `input-unreachable`, and a metrics label). */
export type UnreachableCause = "timeout" | "refused" | "status" | "redirects" | "scheme";

const INPUT_IMAGE = "input";

/**
 * A failure of the image `input`, its sentence and details written by `make` for any image: an
 * image inport's failure names the inport (contract §8) through `ofImage`.
 */
function imageFailure(make: (image: string, named: Record<string, string>) => ImgfloError) {
  const error = make(INPUT_IMAGE, {});
  error.forImage = (image) => make(image, image === INPUT_IMAGE ? {} : { parameter: image });
  return error;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export const errors = {
  malformedUrl: (why: string) => new ImgfloError(400, "malformed-url", why),
  malformedRequest: (why: string) =>
    new ImgfloError(400, "malformed-request", `The request is not valid HTTP: ${why}.`),
  urlTooLong: (limit: number) =>
    new ImgfloError(
      414,
      "url-too-long",
      `The URL is longer than the limit of ${limit} characters.`,
      {
        limit,
      },
    ),
  invalidParameter: (parameter: string, why: string) =>
    new ImgfloError(400, "invalid-parameter", `Parameter "${parameter}" ${why}.`, { parameter }),
  missingParameter: (parameter: string) =>
    new ImgfloError(400, "missing-parameter", `Parameter "${parameter}" is required.`, {
      parameter,
    }),
  outOfRange: (parameter: string, why: string) =>
    new ImgfloError(422, "out-of-range", `Parameter "${parameter}" ${why}.`, { parameter }),
  invalidGraph: (why: string) => new ImgfloError(400, "invalid-graph", why),
  graphTooLarge: (limitBytes: number) =>
    new ImgfloError(
      413,
      "graph-too-large",
      `The graph definition is larger than the limit of ${limitBytes} bytes.`,
      { limit: limitBytes },
    ),
  unauthorized: () => new ImgfloError(401, "unauthorized", "Missing or wrong origin credentials."),
  adminTokenRequired: () =>
    new ImgfloError(
      401,
      "admin-token-required",
      "The admin API needs Authorization: Bearer <ADMIN_TOKEN>.",
    ),
  adminTokenRefused: (configured: boolean) =>
    new ImgfloError(
      403,
      "admin-token-refused",
      configured
        ? "The admin token is wrong."
        : "The admin API is off: this edge has no ADMIN_TOKEN secret.",
    ),
  unsupportedMediaType: (given: string, accepted: readonly string[]) =>
    new ImgfloError(
      415,
      "unsupported-media-type",
      `The body's type "${given}" is not one of ${accepted.join(", ")}.`,
      { accepted: [...accepted] },
    ),
  invalidSignature: () =>
    new ImgfloError(403, "invalid-signature", "Unknown application key or wrong token."),
  signatureRequired: () =>
    new ImgfloError(403, "signature-required", "This server only serves signed URLs."),
  expired: (expires: number) =>
    new ImgfloError(
      403,
      "expired",
      `This URL expired at ${new Date(expires * 1000).toISOString()} (expires=${expires}).`,
      { expires },
    ),
  sourceNotAllowed: (source: string) =>
    new ImgfloError(
      403,
      "source-not-allowed",
      `The image URL "${source}" matches none of this application's allowed sources.`,
      { source },
    ),
  applicationDisabled: () =>
    new ImgfloError(403, "application-disabled", "This application is disabled."),
  quotaExceeded: () =>
    new ImgfloError(
      403,
      "quota-exceeded",
      "This application may not start new renders (processing quota exhausted).",
    ),
  inputForbidden: (host: string) =>
    imageFailure(
      (image, named) =>
        new ImgfloError(
          403,
          "input-forbidden",
          `${capitalised(image)} host "${host}" resolves to an address this server does not fetch from.`,
          { host, ...named },
        ),
    ),
  notAcceptable: (accept: string, produced: readonly string[]) =>
    new ImgfloError(
      400,
      "not-acceptable",
      `The Accept header ("${accept}") takes none of the formats this request can produce (${produced.join(", ")}).`,
      { header: "accept", produced: [...produced] },
    ),
  unknownGraph: (graph: string) =>
    new ImgfloError(404, "unknown-graph", `There is no graph named "${graph}".`, { graph }),
  unknownVersion: (graph: string, version: number) =>
    new ImgfloError(
      404,
      "unknown-version",
      `Graph "${graph}" has no version ${version}${version === 0 ? " (no built-in file)" : ""}.`,
      { graph, version },
    ),
  notFound: (what: string) => new ImgfloError(404, "not-found", `${what} was not found.`),
  methodNotAllowed: (method: string) =>
    new ImgfloError(405, "method-not-allowed", `Method ${method} is not allowed here.`),
  preconditionFailed: () =>
    new ImgfloError(
      412,
      "precondition-failed",
      "The If-Match condition does not hold for this result.",
    ),
  requestTimeout: () =>
    new ImgfloError(408, "request-timeout", "The request did not arrive in time."),
  headersTooLarge: (limitBytes: number) =>
    new ImgfloError(
      431,
      "headers-too-large",
      `The request's headers are larger than ${limitBytes} bytes.`,
      { limit: limitBytes },
    ),
  inputTooLarge: (limitBytes: number) =>
    imageFailure(
      (image, named) =>
        new ImgfloError(
          413,
          "input-too-large",
          `The ${image} is larger than the limit of ${limitBytes} bytes.`,
          { limit: limitBytes, ...named },
        ),
    ),
  unsupportedInput: (detected: string) =>
    imageFailure(
      (image, named) =>
        new ImgfloError(
          415,
          "unsupported-input",
          `The ${image} is not a supported image (${detected}). Supported types: ${INPUT_FORMATS.join(", ")}.`,
          { supported: [...INPUT_FORMATS], ...named },
        ),
    ),
  /** The size an image decodes to is beyond the pixel limit. */
  tooManyDecodedPixels: (pixels: number, limit: number) =>
    imageFailure(
      (image, named) =>
        new ImgfloError(
          422,
          "too-many-pixels",
          `The decoded ${image} size of ${pixels} pixels is beyond the limit of ${limit} pixels.`,
          { pixels, limit, ...named },
        ),
    ),
  tooManyPixels: (what: string, pixels: number, limit: number) =>
    new ImgfloError(
      422,
      "too-many-pixels",
      `The ${what} size of ${pixels} pixels is beyond the limit of ${limit} pixels.`,
      { pixels, limit },
    ),
  outputTooLarge: (why: string) => new ImgfloError(422, "too-many-pixels", why),
  emptyOutput: (why: string) =>
    new ImgfloError(422, "empty-output", `The result would be an empty image: ${why}`),
  renderFailed: (why: string) => new ImgfloError(500, "render-failed", `Rendering failed: ${why}`),
  originFailed: (why: string) =>
    new ImgfloError(502, "origin-failed", `The render origin failed or is unreachable: ${why}`),
  overloaded: (retryAfterSeconds: number) =>
    new ImgfloError(503, "overloaded", "Too many renders are waiting; try again shortly.", {
      retryAfter: retryAfterSeconds,
    }),
  downloadsBusy: (retryAfterSeconds: number) =>
    new ImgfloError(
      503,
      "overloaded",
      "Too many input downloads are in progress or waiting; try again shortly.",
      { retryAfter: retryAfterSeconds },
    ),
  inputUnreachable: (why: string, cause: UnreachableCause = "refused") =>
    imageFailure(
      (image, named) =>
        new ImgfloError(504, "input-unreachable", `The ${image} could not be fetched: ${why}`, {
          cause,
          ...named,
        }),
    ),
  renderTimeout: (seconds: number) =>
    new ImgfloError(504, "render-timeout", `Rendering took longer than ${seconds} s.`),
};

export function isImgfloError(value: unknown): value is ImgfloError {
  return value instanceof ImgfloError;
}

/**
 * A failure while reading the image of inport `image` (fetch, size, type), told as that image's:
 * `The overlay could not be fetched: …`, with the inport as its `parameter`. Others unchanged.
 */
export function ofImage(error: unknown, image: string): unknown {
  return isImgfloError(error) && error.forImage ? error.forImage(image) : error;
}

/** Any thrown value as an ImgfloError; unknown failures become a 500 that leaks no internals. */
export function asImgfloError(value: unknown): ImgfloError {
  if (isImgfloError(value)) return value;
  return new ImgfloError(500, "internal-error", "An unexpected error occurred.");
}

export function errorBody(error: ImgfloError): ErrorBody {
  return { ...error.details, error: error.message, code: error.code };
}

/** The contract's JSON error; with the request's id in the body and `x-request-id` (contract §3, §6). */
export function errorResponse(value: unknown, requestId?: string): Response {
  const error = asImgfloError(value);
  const headers: Record<string, string> = {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
  };
  if (typeof error.details.retryAfter === "number") {
    headers["retry-after"] = String(error.details.retryAfter);
  }
  const body: ErrorBody = errorBody(error);
  if (requestId !== undefined) {
    body.requestId = requestId;
    headers[REQUEST_ID_HEADER] = requestId;
  }
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/** Rebuilds an error from a JSON error body (an origin's answer, a recorded failure). */
export function errorFromBody(status: number, body: unknown): ImgfloError {
  if (body && typeof body === "object" && "error" in body && "code" in body) {
    // The id belongs to the request that got this body, not to the one that replays it.
    const { error, code, requestId: _, ...details } = body as ErrorBody;
    return new ImgfloError(status, String(code), String(error), details);
  }
  return new ImgfloError(status, "unexpected-response", `Unexpected response (status ${status}).`);
}
