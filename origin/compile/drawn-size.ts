import type { Size } from "../steps/resize.ts";
import { boundProps } from "./bound-job.ts";
import { feedThroughNops } from "./feed-through-nops.ts";
import type { CompiledGraph } from "./graph-compiler.ts";

/** imgflo:place's defaults (gegl-ops/place.c's properties). */
const PLACE_DEFAULTS = { fit: "width", scale: 0.25 };

/**
 * The size imgflo:place draws an overlay of `overlay` at in a reference frame of `reference`:
 * place.c's arithmetic (placement_of). cover: the smallest size that covers the frame; width:
 * `scale` times the frame's width in whole pixels, the overlay's aspect ratio kept.
 */
export function placedSize(fit: string, scale: number, reference: Size, overlay: Size): Size {
  if (fit === "cover") {
    const cover = Math.max(reference.width / overlay.width, reference.height / overlay.height);
    return {
      width: Math.max(reference.width, Math.ceil(overlay.width * cover - 1e-9)),
      height: Math.max(reference.height, Math.ceil(overlay.height * cover - 1e-9)),
    };
  }
  const width = Math.max(1, Math.round(reference.width * scale));
  return { width, height: Math.max(1, Math.round(overlay.height * (width / overlay.width))) };
}

/**
 * The size the graph draws image inport `image`'s image at, when it is known before the render:
 * the image is the input of an imgflo:place whose reference frame (its aux) is the graph's input
 * image, of `inputSize`. null: unknown (another node takes the image, or the frame is another
 * image or the overlay itself).
 */
export function drawnSize(
  compiled: CompiledGraph,
  values: Record<string, string>,
  image: string,
  overlay: Size,
  inputSize: Size,
): Size | null {
  const pad = compiled.images[image];
  const place = pad && compiled.nodes.find(({ id }) => id === pad.node);
  if (pad?.pad !== "input" || place?.op !== "imgflo:place") return null;
  const frame = feedThroughNops(compiled, place.id, "aux");
  if (!frame || !("input" in frame)) return null;
  const props = boundProps(compiled, values).get(place.id) ?? {};
  const scale = Number(props.scale ?? PLACE_DEFAULTS.scale);
  if (!Number.isFinite(scale)) return null;
  return placedSize(props.fit ?? PLACE_DEFAULTS.fit, scale, inputSize, overlay);
}
