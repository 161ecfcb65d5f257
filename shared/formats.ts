import type { AutoVariant } from "./accept-variant.ts";

/**
 * The one table of image formats: what the server reads, what it writes, and how each is named
 * on the wire (content type, file extensions), with the contract's rule for picking the output.
 */
interface FormatInfo {
  contentType: string;
  /** The first is the canonical one, used in `/cache/<key>.<ext>`. */
  extensions: readonly [string, ...string[]];
  animated: boolean;
}

export const INPUT_FORMATS = ["jpeg", "png", "webp", "avif", "gif", "svg", "tiff"] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];

const FORMATS: Record<InputFormat, FormatInfo> = {
  jpeg: { contentType: "image/jpeg", extensions: ["jpg", "jpeg"], animated: false },
  png: { contentType: "image/png", extensions: ["png"], animated: false },
  webp: { contentType: "image/webp", extensions: ["webp"], animated: true },
  avif: { contentType: "image/avif", extensions: ["avif"], animated: false },
  gif: { contentType: "image/gif", extensions: ["gif"], animated: true },
  svg: { contentType: "image/svg+xml", extensions: ["svg"], animated: false },
  tiff: { contentType: "image/tiff", extensions: ["tif", "tiff"], animated: false },
};

export const OUTPUT_FORMATS = [
  "png",
  "jpeg",
  "webp",
  "avif",
  "gif",
] as const satisfies readonly InputFormat[];
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

// JPEG has no alpha: transparent areas become white, as browsers show them on a page.
export const JPEG_BACKGROUND = "#ffffff";

/** `<graph>.auto`: the format follows the request's Accept (shared/accept-variant.ts). */
export const AUTO = "auto";

/** What a processing URL asks for: a format, `auto`, or null for "the input's own". */
export type RequestedFormat = OutputFormat | typeof AUTO | null;

/** Every extension a processing URL may end in, in the order error messages list them. */
export const OUTPUT_EXTENSIONS = [
  ...OUTPUT_FORMATS.flatMap((format) => FORMATS[format].extensions),
  AUTO,
];

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** The output format (or `auto`) an extension names, or null when it names none. */
export function formatFromExtension(extension: string): OutputFormat | typeof AUTO | null {
  const wanted = extension.toLowerCase();
  if (wanted === AUTO) return AUTO;
  return OUTPUT_FORMATS.find((format) => FORMATS[format].extensions.includes(wanted)) ?? null;
}

export function extensionOf(format: OutputFormat): string {
  return FORMATS[format].extensions[0];
}

export function contentTypeOf(format: InputFormat): string {
  return FORMATS[format].contentType;
}

export function formatFromContentType(contentType: string): OutputFormat | null {
  const type = contentType.split(";")[0]?.trim().toLowerCase();
  return OUTPUT_FORMATS.find((format) => FORMATS[format].contentType === type) ?? null;
}

/** Formats that can hold several frames. */
export function isAnimatedFormat(format: InputFormat): boolean {
  return FORMATS[format].animated;
}

/** A request's output once `.auto` is folded: a format, the input's own (null), or a variant. */
export type OutputChoice = OutputFormat | { auto: AutoVariant } | null;

/** The `.auto` variant of a choice, or null for a URL with an extension or none. */
export function autoVariantOf(choice: OutputChoice): AutoVariant | null {
  return choice !== null && typeof choice === "object" ? choice.auto : null;
}

/** What the `.auto` rule needs to know about a result. */
export interface ResultTraits {
  /** Several frames that the graph keeps (an animated input through a pass-through graph). */
  animated: boolean;
  hasAlpha: boolean;
}

/**
 * Contract §1: the extension's format; without one the input's, except that inputs browsers do
 * not show (SVG, TIFF) and generators (no input) give PNG. `.auto`: AVIF or WebP as the variant
 * allows, animations as WebP (never AVIF) or GIF, else the input's family: PNG when the result
 * has alpha, JPEG when it is opaque.
 */
export function outputFormatFor(
  choice: OutputChoice,
  input: InputFormat | null,
  result: ResultTraits,
): OutputFormat {
  if (choice === null) return input && isOutputFormat(input) ? input : "png";
  if (typeof choice === "string") return choice;
  if (result.animated) return choice.auto === "input" ? "gif" : "webp";
  if (choice.auto !== "input") return choice.auto;
  return result.hasAlpha ? "png" : "jpeg";
}

/** The output format when the URL alone decides it (an extension, or a generator's PNG); else null. */
export function formatKnownInAdvance(
  choice: OutputChoice,
  takesInput: boolean,
): OutputFormat | null {
  if (typeof choice === "string") return choice;
  return choice === null && !takesInput
    ? outputFormatFor(null, null, { animated: false, hasAlpha: false })
    : null;
}
