/**
 * The single ipx operation nearest to a catalogue graph, read from the graph's components (never
 * from its name), so that a new graph gets a counterpart without an edit here: a neighbourhood
 * filter is a blur, a per-pixel colour operation a grayscale, a rotation or crop a rotate and
 * extract, anything else (generators, pass-throughs) the resize and encode every request does.
 */
import type { FbpGraph } from "../../shared/graph-definition.ts";
import { isInitial } from "../../shared/graph-definition.ts";

export interface NearestOperation {
  /** What the table prints, e.g. `blur 10`. */
  label: string;
  /** ipx modifiers before the resize, e.g. `blur_10`; empty for a resize alone. */
  modifiers: string[];
}

// A blur's cost grows with its width: GEGL's std-dev is sharp's sigma; a motion blur of length L
// averages L pixels, about a Gaussian of L / 4.
const BLURS: Record<string, (value: (port: string) => number | undefined) => number> = {
  "gaussian-blur": (value) => Math.max(value("std-dev-x") ?? 1.5, value("std-dev-y") ?? 1.5),
  "motion-blur-linear": (value) => (value("length") ?? 10) / 4,
  "noise-reduction": () => 1,
  "edge-sobel": () => 1,
};
const COLOUR_OPERATIONS = new Set(["gray", "c2g", "custom-grey", "gradient-map", "retro-curve"]);

/** The value a node's port has when a request sets nothing: the exported port's default or the IIP. */
function portValues(graph: FbpGraph, process: string): (port: string) => number | undefined {
  return (port) => {
    const exported = Object.values(graph.inports ?? {}).find(
      (inport) => inport.process === process && inport.port === port,
    );
    const initial = (graph.connections ?? []).find(
      (connection) =>
        isInitial(connection) && connection.tgt.process === process && connection.tgt.port === port,
    );
    const value =
      exported?.metadata?.default ?? (initial && isInitial(initial) ? initial.data : undefined);
    return value === undefined ? undefined : Number(value);
  };
}

const operationName = (component: string) => component.slice(component.indexOf("/") + 1);

export function nearestOperation(graph: FbpGraph): NearestOperation {
  const nodes = Object.entries(graph.processes ?? {}).map(([process, { component }]) => ({
    operation: operationName(component),
    value: portValues(graph, process),
  }));
  const blur = nodes.find((node) => BLURS[node.operation]);
  if (blur) {
    const sigma = Number((BLURS[blur.operation] as (typeof BLURS)[string])(blur.value).toFixed(2));
    return { label: `blur ${sigma}`, modifiers: [`blur_${sigma}`] };
  }
  if (nodes.some((node) => COLOUR_OPERATIONS.has(node.operation)))
    return { label: "grayscale", modifiers: ["grayscale"] };
  const crop = nodes.find((node) => node.operation === "crop");
  const rotate = nodes.find((node) => node.operation.startsWith("rotate"));
  if (crop || rotate) {
    const modifiers: string[] = [];
    if (crop) {
      const [x, y, w, h] = ["x", "y", "width", "height"].map((port) => crop.value(port) ?? 0);
      modifiers.push(`extract_${x}_${y}_${w}_${h}`);
    }
    if (rotate) modifiers.push(`rotate_${rotate.value("degrees") ?? 0}`);
    return { label: modifiers.join(" ").replaceAll("_", " "), modifiers };
  }
  return { label: "resize", modifiers: [] };
}
