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

/** Every extension a processing URL may end in, in the order error messages list them. */
export const OUTPUT_EXTENSIONS = OUTPUT_FORMATS.flatMap((format) => FORMATS[format].extensions);

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

/** The output format an extension names, or null when it names none. */
export function formatFromExtension(extension: string): OutputFormat | null {
  const wanted = extension.toLowerCase();
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

/**
 * Contract §1: the extension's format; without one the input's, except that inputs browsers do
 * not show (SVG, TIFF) and generators (no input) give PNG.
 */
export function outputFormatFor(
  requested: OutputFormat | null,
  input: InputFormat | null,
): OutputFormat {
  if (requested) return requested;
  return input && isOutputFormat(input) ? input : "png";
}
