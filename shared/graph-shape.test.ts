import { describe, expect, it } from "vitest";
import { CatalogueError } from "./catalogue.ts";
import { checkGraphShape } from "./graph-shape.ts";

describe("checkGraphShape", () => {
  it("names what is wrong with a graph that is not FBP JSON", () => {
    const wrong: [unknown, RegExp][] = [
      [[], /not an FBP graph/],
      [{ processes: 3 }, /"processes"/],
      [{ processes: { a: {} } }, /process "a" without a component/],
      [{ connections: {} }, /"connections"/],
      [{ connections: [{ tgt: { process: "a" } }] }, /connection 1/],
      [{ connections: [{ src: 1, tgt: { process: "a", port: "b" } }] }, /connection 1/],
      [{ inports: { input: "a.b" } }, /"inports"/],
      [{ outports: { output: { process: "a", port: "b", metadata: "x" } } }, /"outports"/],
      [{ properties: "x" }, /"properties"/],
    ];
    for (const [value, message] of wrong) {
      expect(() => checkGraphShape("g", value)).toThrow(CatalogueError);
      expect(() => checkGraphShape("g", value)).toThrow(message);
    }
  });

  it("takes edges, initial values and exported ports with metadata", () => {
    const graph = {
      processes: { a: { component: "gegl/nop", metadata: { x: 1 } } },
      connections: [
        { src: { process: "a", port: "output" }, tgt: { process: "a", port: "input" } },
        { data: 1, tgt: { process: "a", port: "x" } },
      ],
      inports: { input: { process: "a", port: "input", metadata: { type: "string" } } },
      outports: { output: { process: "a", port: "output" } },
    };
    expect(checkGraphShape("g", graph)).toBe(graph);
  });
});
