import { asInvalidGraph, buildCatalogue, type CatalogueGraph } from "../../shared/catalogue.ts";
import type { NamedGraph } from "../../shared/graph-definition.ts";
import type { OperationDescriptions } from "../worker/operation-description.ts";
import { type CompiledGraph, compileGraph } from "./graph-compiler.ts";

/** Graphs sent by edges (published versions, other deployments' files) kept compiled at once. */
const MAX_SENT_GRAPHS = 256;

/** A graph of the catalogue with its compiled form, ready to render. */
export interface ReadyGraph {
  graph: CatalogueGraph;
  compiled: CompiledGraph;
}

/** A graph a client sent (a render body, a publish to check) as the catalogue reads it; 400 when wrong. */
export function sentCatalogueGraph(named: NamedGraph): CatalogueGraph {
  try {
    return buildCatalogue([named]).get(named.name) as CatalogueGraph;
  } catch (error) {
    throw asInvalidGraph(error);
  }
}

/**
 * Compiled graphs by content hash: this origin's own files (compiled and checked at start-up,
 * kept for good) and the graphs edges send with their renders, each compiled once and kept
 * while it is among the most recently used. A graph sent again after a publish is a new hash:
 * no restart, no shared folder.
 */
export class CompiledGraphs {
  private readonly sent = new Map<string, CompiledGraph>();

  constructor(
    private readonly operations: OperationDescriptions,
    private readonly own: ReadonlyMap<string, CompiledGraph>,
  ) {}

  /** The compiled form of a graph; one that does not compile is the sender's 400 `invalid-graph`. */
  compiled(graph: CatalogueGraph): CompiledGraph {
    const own = this.own.get(graph.hash);
    if (own) return own;
    const known = this.sent.get(graph.hash);
    if (known) {
      // Most recently used last: the first entry is the one to drop.
      this.sent.delete(graph.hash);
      this.sent.set(graph.hash, known);
      return known;
    }
    const compiled = this.compile(graph);
    if (this.sent.size >= MAX_SENT_GRAPHS) {
      this.sent.delete(this.sent.keys().next().value as string);
    }
    this.sent.set(graph.hash, compiled);
    return compiled;
  }

  /** Compiles without keeping it (a graph being checked before it is published). */
  compile(graph: CatalogueGraph): CompiledGraph {
    try {
      return compileGraph(graph, this.operations);
    } catch (error) {
      throw asInvalidGraph(error);
    }
  }
}
