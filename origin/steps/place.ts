import type { Sharp } from "sharp";
import sharp from "sharp";
import type { OutputFormat } from "../../shared/formats.ts";
import type { RenderedPixels } from "../worker/render-job.ts";
import { type GeometryPlan, letterboxResize, padsWithTransparency } from "./resize.ts";

/**
 * A rendered image as a sharp input. Fully opaque ones come without alpha (smaller files, and
 * nothing for JPEG's flatten to do) and get it back only when what follows needs it (padding
 * with a transparent colour).
 */
export function fromRendered(image: RenderedPixels, keepAlpha = false): Sharp {
  const { width, height, channels } = image;
  const input =
    "file" in image ? sharp(image.file) : sharp(image.pixels, { raw: { width, height, channels } });
  return keepAlpha && channels === 3 ? input.ensureAlpha() : input;
}

/** The graph's result placed as the plan says (contain's letterbox), ready to encode. */
export function placeAfterGraph(
  rendered: RenderedPixels,
  plan: GeometryPlan,
  format: OutputFormat,
): Sharp {
  if (!plan.after) return fromRendered(rendered);
  return fromRendered(rendered, padsWithTransparency(plan)).resize(
    letterboxResize(plan.after, format),
  );
}
