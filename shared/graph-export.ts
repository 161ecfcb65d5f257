import { INPUT_PORT } from "./catalogue.ts";
import { type FbpGraph, isInitial } from "./graph-definition.ts";

/**
 * A graph being edited as a catalogue file: the initial value on the `input` inport's target is
 * the editor's preview image, which a processing URL gives as its `input` parameter instead.
 */
export function catalogueGraphJson(graph: FbpGraph): FbpGraph {
  const input = graph.inports?.[INPUT_PORT];
  const connections = (graph.connections ?? []).filter(
    (connection) =>
      !(
        input &&
        isInitial(connection) &&
        connection.tgt.process === input.process &&
        connection.tgt.port === input.port
      ),
  );
  return {
    ...graph,
    properties: { ...graph.properties, environment: { type: "imgflo" } },
    connections,
  };
}
