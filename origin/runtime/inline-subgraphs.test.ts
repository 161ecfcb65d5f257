import { describe, expect, it } from "vitest";
import type { FbpGraph } from "../../shared/graph-definition.ts";
import { inlineSubgraphs } from "./inline-subgraphs.ts";

const blur: FbpGraph = {
  inports: {
    input: { process: "nop", port: "input" },
    radius: { process: "blur", port: "std-dev-x" },
  },
  outports: { output: { process: "blur", port: "output" } },
  processes: { nop: { component: "gegl/nop" }, blur: { component: "gegl/gaussian-blur" } },
  connections: [
    { src: { process: "nop", port: "output" }, tgt: { process: "blur", port: "input" } },
    { data: 1, tgt: { process: "blur", port: "std-dev-x" } },
  ],
};

const lookUp = (component: string) => (component === "graphs/blur" ? blur : null);

describe("inlineSubgraphs", () => {
  it("replaces a subgraph node by its processes, wiring its ports to their targets", () => {
    const outer: FbpGraph = {
      inports: { input: { process: "in", port: "input" } },
      outports: { output: { process: "soft", port: "output" } },
      processes: { in: { component: "gegl/nop" }, soft: { component: "graphs/blur" } },
      connections: [
        { src: { process: "in", port: "output" }, tgt: { process: "soft", port: "input" } },
        { data: 7, tgt: { process: "soft", port: "radius" } },
        { data: 3, tgt: { process: "soft", port: "nonexistent" } },
      ],
    };
    const inlined = inlineSubgraphs(outer, lookUp);
    expect(Object.keys(inlined.processes ?? {}).sort()).toEqual(["in", "soft/blur", "soft/nop"]);
    expect(inlined.connections).toEqual([
      {
        src: { process: "soft/nop", port: "output" },
        tgt: { process: "soft/blur", port: "input" },
      },
      { src: { process: "in", port: "output" }, tgt: { process: "soft/nop", port: "input" } },
      { data: 7, tgt: { process: "soft/blur", port: "std-dev-x" } },
    ]);
    expect(inlined.outports).toEqual({ output: { process: "soft/blur", port: "output" } });
    expect(inlined.inports).toEqual({ input: { process: "in", port: "input" } });
  });

  it("refuses a node whose id an inlined node takes too, as an invalid graph", () => {
    const outer: FbpGraph = {
      outports: { output: { process: "soft/blur", port: "output" } },
      processes: { soft: { component: "graphs/blur" }, "soft/blur": { component: "gegl/nop" } },
      connections: [],
    };
    expect(() => inlineSubgraphs(outer, lookUp)).toThrow(
      expect.objectContaining({
        status: 400,
        code: "invalid-graph",
        message: expect.stringMatching(/"soft\/blur" clashes/),
      }),
    );
  });

  it("leaves graphs without subgraphs as they are", () => {
    expect(inlineSubgraphs(blur, lookUp)).toBe(blur);
  });
});
