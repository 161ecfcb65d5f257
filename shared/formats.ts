import { errors } from "./errors.ts";

export const OUTPUT_FORMATS = ["png", "jpeg", "webp", "avif", "gif"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

const EXTENSIONS: Record<string, OutputFormat> = {
  png: "png",
  jpg: "jpeg",
  jpeg: "jpeg",
  webp: "webp",
  avif: "avif",
  gif: "gif",
};

const CANONICAL_EXTENSION: Record<OutputFormat, string> = {
  png: "png",
  jpeg: "jpg",
  webp: "webp",
  avif: "avif",
  gif: "gif",
};

export function formatFromExtension(extension: string): OutputFormat {
  const format = EXTENSIONS[extension.toLowerCase()];
  if (!format) {
    throw errors.malformedUrl(
      `Unsupported output format ".${extension}"; use one of png, jpg, jpeg, webp, avif, gif.`,
    );
  }
  return format;
}

export function isOutputFormat(value: string): value is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(value);
}

export function extensionOf(format: OutputFormat): string {
  return CANONICAL_EXTENSION[format];
}

export function contentTypeOf(format: OutputFormat): string {
  return `image/${format}`;
}

export function formatFromContentType(contentType: string): OutputFormat | null {
  const subtype =
    contentType
      .split(";")[0]
      ?.trim()
      .toLowerCase()
      .replace(/^image\//, "") ?? "";
  return isOutputFormat(subtype) ? subtype : null;
}
