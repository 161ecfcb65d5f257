import type { ResultTraits } from "../../shared/formats.ts";
import type { SourceImage } from "./decode.ts";
import { type GeometryPlan, padsWithTransparency } from "./resize.ts";

/** What `.auto` needs to know about a filter's result before rendering it. */
export function resultTraits(
  source: SourceImage,
  plan: GeometryPlan,
  keepsFrames: boolean,
): ResultTraits {
  return {
    animated: keepsFrames && source.animated,
    hasAlpha: source.hasAlpha || padsWithTransparency(plan),
  };
}
