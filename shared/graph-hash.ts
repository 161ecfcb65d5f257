import { type FbpExportedPort, type FbpGraph, isInitial } from "./graph-definition.ts";
import { sha256Hex } from "./sha256.ts";

// The inport metadata that changes what a URL renders; descriptions do not.
const RENDERING_METADATA = ["type", "minimum", "maximum", "default", "values"] as const;

function exportedPorts(ports: Record<string, FbpExportedPort> | undefined, withMetadata: boolean) {
  return Object.entries(ports ?? {})
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, { process, port, metadata }]) => {
      if (!withMetadata) return [name, process, port];
      const kept = metadata ? RENDERING_METADATA.map((field) => metadata[field] ?? null) : null;
      return [name, process, port, kept];
    });
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * What of a graph changes a rendering, in one canonical order: components, connections and
 * their values, exported ports with type, range and default, how the graph treats its input.
 * Node positions, labels, descriptions and the order things are written in are left out.
 */
export function canonicalGraph(definition: FbpGraph): unknown {
  const processes = Object.entries(definition.processes ?? {})
    .map(([id, process]) => JSON.stringify([id, process.component]))
    .sort(byText);
  const connections = (definition.connections ?? [])
    .map((connection) =>
      JSON.stringify(
        isInitial(connection)
          ? ["data", connection.data, connection.tgt.process, connection.tgt.port]
          : [
              "edge",
              connection.src.process,
              connection.src.port,
              connection.tgt.process,
              connection.tgt.port,
            ],
      ),
    )
    .sort(byText);
  const imgflo = definition.properties?.imgflo ?? {};
  return {
    processes,
    connections,
    inports: exportedPorts(definition.inports, true),
    outports: exportedPorts(definition.outports, false),
    imgflo: [imgflo.output ?? null, imgflo.resize ?? null],
  };
}

/** Contract §7: the SHA-256 of a graph's canonical definition, as lowercase hex. */
export function graphHash(definition: FbpGraph): string {
  return sha256Hex(JSON.stringify(["imgflo-graph/1", canonicalGraph(definition)]));
}
