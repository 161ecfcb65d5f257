import { errors } from "../../shared/errors.ts";
import type { InputFormat } from "../../shared/formats.ts";

const ascii = (bytes: Uint8Array, start: number, end: number) =>
  String.fromCharCode(...bytes.subarray(start, end));

const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  signature.every((byte, i) => bytes[i] === byte);

const AVIF_BRANDS = ["avif", "avis"];
const SVG_SNIFF_BYTES = 4096;

/** ISO-BMFF (`....ftyp<brand>`) whose major or a compatible brand is AVIF. */
function isAvif(bytes: Uint8Array): boolean {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== "ftyp") return false;
  const boxSize = Math.min(bytes.length, new DataView(bytes.buffer, bytes.byteOffset).getUint32(0));
  for (let offset = 8; offset + 4 <= boxSize; offset += 4) {
    if (offset !== 12 && AVIF_BRANDS.includes(ascii(bytes, offset, offset + 4))) return true;
  }
  return false;
}

/** Text that opens (after an XML prolog, comments and a doctype) with an `<svg` element. */
function isSvg(bytes: Uint8Array): boolean {
  const head = new TextDecoder("utf-8", { fatal: false }).decode(
    bytes.subarray(0, SVG_SNIFF_BYTES),
  );
  if (head.includes("\u0000")) return false;
  const body = head
    .replace(/^\uFEFF/, "")
    .replace(/<\?xml[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>/gi, "")
    .trimStart();
  return /^<svg[\s>/]/i.test(body);
}

function describeUnknown(bytes: Uint8Array): string {
  if (bytes.length === 0) return "the response was empty";
  const head = new TextDecoder().decode(bytes.subarray(0, 256)).trimStart().toLowerCase();
  if (head.startsWith("<!doctype html") || head.startsWith("<html")) return "it is an HTML page";
  if (head.startsWith("{") || head.startsWith("[")) return "it looks like JSON";
  return "its content is not a known image type";
}

/** The input's type from its first bytes; servers lie about Content-Type and URLs say nothing. */
export function detectFormat(bytes: Uint8Array): InputFormat {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "jpeg";
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "png";
  if (ascii(bytes, 0, 6) === "GIF87a" || ascii(bytes, 0, 6) === "GIF89a") return "gif";
  if (ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 12) === "WEBP") return "webp";
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return "tiff";
  }
  if (isAvif(bytes)) return "avif";
  if (isSvg(bytes)) return "svg";
  throw errors.unsupportedInput(describeUnknown(bytes));
}
