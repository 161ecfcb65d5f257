import { errors } from "../../shared/errors.ts";
import type {
  FbpConnection,
  FbpExportedPort,
  FbpGraph,
  FbpPortRef,
} from "../../shared/graph-definition.ts";

/** Finds the graph behind a component, or null when the component is not a graph. */
export type SubgraphLookup = (component: string) => FbpGraph | null;

// Catalogue graphs are made of operations, but a cycle of graphs must not recurse for ever.
const MAX_DEPTH = 8;

/**
 * The graph with every subgraph node replaced by the subgraph's processes (ids prefixed with
 * `<node>/`): edges and initial values on the node's ports go to its exported ports' targets.
 * An id that clashes with an inlined one is the client's 400 (invalid-graph).
 */
export function inlineSubgraphs(graph: FbpGraph, lookUp: SubgraphLookup, depth = 0): FbpGraph {
  const subgraphs = new Map<string, FbpGraph>();
  for (const [id, process] of Object.entries(graph.processes ?? {})) {
    const inner = depth < MAX_DEPTH ? lookUp(process.component) : null;
    if (inner) subgraphs.set(id, inlineSubgraphs(inner, lookUp, depth + 1));
  }
  if (subgraphs.size === 0) return graph;
  const inside = (node: string, ref: FbpPortRef): FbpPortRef => ({
    process: `${node}/${ref.process}`,
    port: ref.port,
  });
  /** An outer port reference, moved inside the subgraph it names (null: no such exported port). */
  const resolve = (ref: FbpPortRef, side: "inports" | "outports"): FbpPortRef | null => {
    const inner = subgraphs.get(ref.process);
    if (!inner) return ref;
    const exported: FbpExportedPort | undefined = inner[side]?.[ref.port];
    return exported ? inside(ref.process, exported) : null;
  };
  const processes: NonNullable<FbpGraph["processes"]> = {};
  // The one place two processes could get one id (a node named "soft/blur" beside subgraph
  // node "soft"'s "blur"): the compile only ever sees processes keyed by id.
  const add = (id: string, process: NonNullable<FbpGraph["processes"]>[string]) => {
    if (id in processes) {
      throw errors.invalidGraph(
        `Node "${id}" clashes with a node of an inlined subgraph of the same name; rename it.`,
      );
    }
    processes[id] = process;
  };
  const connections: FbpConnection[] = [];
  for (const [id, process] of Object.entries(graph.processes ?? {})) {
    const inner = subgraphs.get(id);
    if (!inner) {
      add(id, process);
      continue;
    }
    for (const [innerId, innerProcess] of Object.entries(inner.processes ?? {})) {
      add(`${id}/${innerId}`, innerProcess);
    }
    for (const connection of inner.connections ?? []) {
      const tgt = inside(id, connection.tgt);
      connections.push(
        "src" in connection && connection.src
          ? { src: inside(id, connection.src), tgt }
          : { ...connection, tgt },
      );
    }
  }
  for (const connection of graph.connections ?? []) {
    const tgt = resolve(connection.tgt, "inports");
    if (!tgt) continue;
    if ("src" in connection && connection.src) {
      const src = resolve(connection.src, "outports");
      if (src) connections.push({ src, tgt });
    } else {
      // An outer initial value overrides the subgraph's own.
      const replaced = connections.findIndex(
        (c) => !("src" in c) && c.tgt.process === tgt.process && c.tgt.port === tgt.port,
      );
      if (replaced >= 0) connections.splice(replaced, 1);
      connections.push({ ...connection, tgt });
    }
  }
  const exported = (side: "inports" | "outports") =>
    Object.fromEntries(
      Object.entries(graph[side] ?? {}).flatMap(([name, ref]) => {
        const moved = resolve(ref, side);
        return moved ? [[name, { ...ref, ...moved }]] : [];
      }),
    );
  return {
    ...graph,
    processes,
    connections,
    inports: exported("inports"),
    outports: exported("outports"),
  };
}
