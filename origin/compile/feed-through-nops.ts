import type { JobNode } from "../worker/render-job.ts";
import type { CompiledGraph } from "./graph-compiler.ts";

/** What feeds an input pad: a node's output, the graph's input image, or nothing. */
export type Feed = { node: JobNode } | { input: true } | null;

/**
 * What feeds pad `pad` of node `id`, past any gegl:nop between (a nop gives its input as it is):
 * the compile steps that read a graph's shape before it runs see through them as GEGL does.
 */
export function feedThroughNops(compiled: CompiledGraph, id: string, pad: string): Feed {
  const nodes = new Map(compiled.nodes.map((node) => [node.id, node]));
  let at = { id, pad };
  for (let hops = 0; hops <= compiled.nodes.length; hops++) {
    if (compiled.input?.node === at.id && compiled.input.pad === at.pad) return { input: true };
    const { id: to, pad: toPad } = at;
    const link = compiled.links.find((l) => l.to === to && l.to_pad === toPad);
    const from = link ? nodes.get(link.from) : undefined;
    if (from?.op !== "gegl:nop") return from ? { node: from } : null;
    at = { id: from.id, pad: "input" };
  }
  return null;
}
