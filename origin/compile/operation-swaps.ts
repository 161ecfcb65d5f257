import type { JobNode } from "../worker/render-job.ts";

/**
 * A GEGL operation the compile replaces by a project-owned one (`origin/gegl-ops/`) with the same
 * pads, the same properties (names, types, defaults, ranges) and the same output, wherever it
 * stands in a graph: so the graph's parameters, links and operation descriptions are unchanged.
 */
interface OperationSwap {
  /** The project's operation. */
  by: string;
  /**
   * When the node's properties (as the job sends them: canonical text, absent for a default)
   * allow the swap; left out when every value does.
   */
  allows?: (props: Readonly<Record<string, string>>) => boolean;
}

/**
 * The one table of swaps. Each project operation's tests render both and compare bytes, but c2g's,
 * whose GEGL output is random: they compare its statistics.
 */
const OPERATION_SWAPS: Readonly<Record<string, OperationSwap>> = {
  // Every length and angle: the same samples, lerps and sums (gegl-ops/imgflo-motion-blur-linear.c).
  "gegl:motion-blur-linear": { by: "imgflo:motion-blur-linear" },
  // Every kernel choice: the same window, sums and scaling (gegl-ops/imgflo-edge-sobel.c).
  "gegl:edge-sobel": { by: "imgflo:edge-sobel" },
  // Every property: GEGL's draws from one float image, its table seeded so that its bytes repeat
  // (gegl-ops/imgflo-c2g.c).
  "gegl:c2g": { by: "imgflo:c2g" },
  // Every property: GEGL's random numbers and arithmetic, the numbers inline
  // (gegl-ops/imgflo-noise-cie-lch.c).
  "gegl:noise-cie-lch": { by: "imgflo:noise-cie-lch" },
  // Any iterations but none (then GEGL's passes its input through): gegl-ops/imgflo-noise-reduction.c.
  "gegl:noise-reduction": {
    by: "imgflo:noise-reduction",
    allows: (props) => props.iterations !== "0",
  },
};

/** The operation a node renders with: its project swap when there is one and it allows the node. */
export function swappedOperation(node: Readonly<JobNode>): string {
  const swap = OPERATION_SWAPS[node.op];
  return swap && (swap.allows?.(node.props) ?? true) ? swap.by : node.op;
}

/**
 * The project operations that stand in for GEGL's: the editor does not list them beside GEGL's
 * (a graph says `gegl/motion-blur-linear` and gets the fast one where it applies).
 */
export const STAND_INS: ReadonlySet<string> = new Set(
  Object.values(OPERATION_SWAPS).map((swap) => swap.by),
);
