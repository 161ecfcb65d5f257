import { errors } from "./errors.ts";
import type { InportMetadata } from "./inport-metadata.ts";

/**
 * The geometry and output options every graph accepts besides `width` and `height`, applied by
 * the origin around the graph: their metadata (for validation and `/graphs`), the rules that
 * tie them together, and their part of the cache key.
 */
export const FITS = ["inside", "cover", "contain", "fill", "outside"] as const;
export type Fit = (typeof FITS)[number];

export const COMPASS_GRAVITIES = [
  "centre",
  "north",
  "northeast",
  "east",
  "southeast",
  "south",
  "southwest",
  "west",
  "northwest",
] as const;
/** libvips' content-aware crops: only a crop (`fit=cover`) can use them. */
export const SMART_GRAVITIES = ["attention", "entropy"] as const;
export type Gravity = (typeof COMPASS_GRAVITIES)[number] | (typeof SMART_GRAVITIES)[number];

export const METADATA_MODES = ["strip", "keep"] as const;
export type MetadataMode = (typeof METADATA_MODES)[number];

export const MAX_DPR = 4;

/** The options as the origin applies them; `null` means "the format's or the fit's default". */
export interface ImageOptions {
  fit: Fit;
  gravity: Gravity | null;
  /** A canonical colour (`#rrggbb[aa]`): contain's padding and the backdrop of alpha in JPEG. */
  background: string | null;
  quality: number | null;
  metadata: MetadataMode;
}

export const DEFAULT_IMAGE_OPTIONS: ImageOptions = {
  fit: "inside",
  gravity: null,
  background: null,
  quality: null,
  metadata: "strip",
};

export type ImageOptionName = keyof ImageOptions | "dpr";

export const IMAGE_OPTION_PARAMETERS: Record<ImageOptionName, InportMetadata> = {
  fit: {
    type: "enum",
    description:
      "How width × height is filled: inside (fit in the box), cover (fill it, cropping), contain (fit in it, padded with background), fill (stretch), outside (cover it, no crop)",
    values: [...FITS],
    default: "inside",
  },
  gravity: {
    type: "enum",
    description:
      "Which part to keep (fit=cover) or where to place the image (fit=contain); attention and entropy find the interesting part (cover only)",
    values: [...COMPASS_GRAVITIES, ...SMART_GRAVITIES],
    default: "centre",
  },
  background: {
    type: "color",
    description:
      "Padding colour for fit=contain (transparent by default) and backdrop for transparency in JPEG (white by default)",
  },
  dpr: {
    type: "number",
    description: "Device pixel ratio: multiplies width and height",
    minimum: 1,
    maximum: MAX_DPR,
    default: 1,
  },
  quality: {
    type: "int",
    description: "Encoding quality of JPEG, WebP and AVIF (each has its own default)",
    minimum: 1,
    maximum: 100,
  },
  metadata: {
    type: "enum",
    description:
      "strip: drop EXIF and XMP (orientation is applied, colours converted to sRGB); keep: keep EXIF and an ICC profile",
    values: [...METADATA_MODES],
    default: "strip",
  },
};

export interface RequestedSize {
  width: number | null;
  height: number | null;
}

const CROP_FITS: readonly Fit[] = ["cover", "contain"];

function scaled(length: number | null, dpr: number): number | null {
  return length === null ? null : Math.max(1, Math.round(length * dpr));
}

/**
 * Checks how the options combine, given the values coerced by their metadata, and folds `dpr`
 * into the size (so `width=200&dpr=2` is the same result, and cache key, as `width=400`).
 */
export function checkImageOptions(
  values: Partial<Record<ImageOptionName, string>>,
  size: RequestedSize,
  maxDimension: number,
): { options: ImageOptions; size: RequestedSize } {
  const options: ImageOptions = {
    fit: (values.fit as Fit | undefined) ?? DEFAULT_IMAGE_OPTIONS.fit,
    gravity: (values.gravity as Gravity | undefined) ?? null,
    background: values.background ?? null,
    quality: values.quality === undefined ? null : Number(values.quality),
    metadata: (values.metadata as MetadataMode | undefined) ?? DEFAULT_IMAGE_OPTIONS.metadata,
  };
  if (options.fit !== "inside" && (size.width === null || size.height === null)) {
    throw errors.invalidParameter("fit", `${options.fit} needs both width and height`);
  }
  if (options.gravity !== null && !CROP_FITS.includes(options.fit)) {
    throw errors.invalidParameter("gravity", "only applies with fit=cover or fit=contain");
  }
  if (
    (SMART_GRAVITIES as readonly string[]).includes(options.gravity ?? "") &&
    options.fit !== "cover"
  ) {
    throw errors.invalidParameter("gravity", `${options.gravity} only applies with fit=cover`);
  }
  const dpr = values.dpr === undefined ? 1 : Number(values.dpr);
  if (dpr !== 1 && size.width === null && size.height === null) {
    throw errors.invalidParameter("dpr", "needs width or height to multiply");
  }
  const result = {
    width: scaled(size.width, dpr),
    height: scaled(size.height, dpr),
  };
  for (const axis of ["width", "height"] as const) {
    const length = result[axis];
    if (length !== null && length > maxDimension) {
      throw errors.outOfRange(
        "dpr",
        `makes the ${axis} ${length} pixels, beyond the limit of ${maxDimension}`,
      );
    }
  }
  return { options, size: result };
}

/** The options that differ from the defaults, in a fixed order: nothing for today's URLs. */
export function imageOptionsKey(options: ImageOptions): [string, string | number][] {
  return (Object.keys(DEFAULT_IMAGE_OPTIONS) as (keyof ImageOptions)[])
    .filter((name) => options[name] !== DEFAULT_IMAGE_OPTIONS[name])
    .map((name) => [name, options[name] as string | number]);
}
