import { errors } from "./errors.ts";
import type { InputFormat } from "./formats.ts";
import { validInputUrl } from "./parameters.ts";
import { parseQuery, type SignedParts, signatureFrom, splitRawUrl } from "./processing-request.ts";

/**
 * `GET /info?input=<url>` and `/info/<key>/<token>?input=<url>`: what an input image is. Signed
 * like a processing URL, with `info` in place of the graphspec: md5("info" + search + secret).
 */
export const INFO_GRAPH_SPEC = "info";

/** The answer of `/info`. */
export interface ImageInfo {
  format: InputFormat;
  /** Upright size: EXIF orientation applied. */
  width: number;
  height: number;
  /** The EXIF orientation tag, 1 when there is none. */
  orientation: number;
  hasAlpha: boolean;
  animated: boolean;
  frames: number;
  /** libvips' interpretation: srgb, cmyk, b-w, rgb16... */
  colourSpace: string;
  /** The embedded ICC profile's description, or null without one. */
  iccDescription: string | null;
  fileSize: number;
  /** `#rrggbb`. */
  dominantColour: string;
  /** A ThumbHash placeholder (https://evanw.github.io/thumbhash/), base64. */
  thumbHash: string;
}

/** The parts of an `/info` URL its signature covers, split without looking at the query. */
export function splitInfoUrl(rawUrl: string): SignedParts {
  const { path, search } = splitRawUrl(rawUrl);
  const [prefix, ...rest] = path.split("/").slice(1);
  if (prefix !== INFO_GRAPH_SPEC || (rest.length !== 0 && rest.length !== 2)) {
    throw errors.malformedUrl("Expected /info?input=<url> or /info/<key>/<token>?input=<url>.");
  }
  const [key, token] = rest;
  const signature = key !== undefined && token !== undefined ? signatureFrom(key, token) : null;
  return { signature, graphSpec: INFO_GRAPH_SPEC, rawSearch: search };
}

/** The `input` of an `/info` URL, validated like a processing URL's (after the signature). */
export function infoInput(parts: SignedParts): string {
  return validInputUrl(parseQuery(parts.rawSearch).input);
}
