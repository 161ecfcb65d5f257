import { INPUT_PORT } from "./catalogue.ts";
import { type FbpExportedPort, type FbpGraph, isInitial } from "./graph-definition.ts";
import { IMAGE_TYPE } from "./inport-metadata.ts";

/** `input` and the image inports: a processing URL gives their images as parameters. */
function imageTargets(graph: FbpGraph): FbpExportedPort[] {
  return Object.entries(graph.inports ?? {})
    .filter(([name, port]) => name === INPUT_PORT || port.metadata?.type === IMAGE_TYPE)
    .map(([, port]) => port);
}

/**
 * A graph being edited as a catalogue file: the initial values on the targets of `input` and the
 * image inports are the editor's preview images, which a processing URL gives as parameters.
 */
export function catalogueGraphJson(graph: FbpGraph): FbpGraph {
  const images = imageTargets(graph);
  const connections = (graph.connections ?? []).filter(
    (connection) =>
      !(
        isInitial(connection) &&
        images.some(
          (image) => connection.tgt.process === image.process && connection.tgt.port === image.port,
        )
      ),
  );
  return {
    ...graph,
    properties: { ...graph.properties, environment: { type: "imgflo" } },
    connections,
  };
}
