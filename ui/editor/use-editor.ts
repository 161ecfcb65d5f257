import { useReducer } from "react";
import { INPUT_PORT } from "../../shared/catalogue.ts";
import type { FbpGraph } from "../../shared/graph-definition.ts";
import { type ComponentInfo, isImagePort, nodeIdFor } from "./components.ts";
import { type EditorEdge, imageInport } from "./editor-graph.ts";
import {
  editorReducer,
  initialEditorState,
  type Position,
  type Positions,
} from "./editor-state.ts";
import { edgeKey, type Selection } from "./graph-canvas.tsx";
import { replayGraph } from "./graph-replay.ts";
import type { RuntimeAddress } from "./runtime-connection.ts";
import { type SendGraph, useGraphRuntime, useThrottledChanges } from "./use-graph-runtime.ts";

/** Where a new node goes: below the middle of the edge it goes into, else above the graph. */
function newNodePosition(edge: EditorEdge | undefined, positions: Positions): Position {
  const from = edge ? positions[edge.src.node] : undefined;
  const to = edge ? positions[edge.tgt.node] : undefined;
  return from && to ? { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 + 90 } : { x: 0, y: -140 };
}

/** A new node into an edge: the edge's source feeds its image inport, its image outport the target. */
function spliceIntoEdge(
  sendGraph: SendGraph,
  edge: EditorEdge,
  node: string,
  component: ComponentInfo | undefined,
): void {
  const imageIn = component?.inPorts.find(isImagePort)?.id;
  const imageOut = component?.outPorts.find(isImagePort)?.id;
  if (!imageIn || !imageOut) return;
  sendGraph("removeedge", { src: edge.src, tgt: edge.tgt });
  sendGraph("addedge", { src: edge.src, tgt: { node, port: imageIn } });
  sendGraph("addedge", { src: { node, port: imageOut }, tgt: edge.tgt });
}

/**
 * The editor's state (editor-state.ts) and what a person can do with it: connects to the runtime,
 * mirrors its graph from the runtime's messages, and edits it through the protocol.
 */
export function useEditor(address: RuntimeAddress) {
  const [state, dispatch] = useReducer(editorReducer, address.url, initialEditorState);
  const runtime = useGraphRuntime(address, dispatch);
  const { send, sendGraph } = runtime;
  const sendChange = useThrottledChanges(sendGraph);
  const { graph, components, positions, selection, input } = state;

  /** Replays a graph file into the runtime as a new main graph, then starts its network. */
  const openGraph = (name: string, definition: FbpGraph) => {
    runtime.setGraphId(name);
    const replay = replayGraph(name, definition, input);
    const description = definition.properties?.description ?? name;
    dispatch({ type: "opened", name, description, positions: replay.positions });
    for (const { protocol, command, payload } of replay.commands) send(protocol, command, payload);
  };

  /** Adds a component; with an edge selected, the new node goes into that edge. */
  const addComponent = (name: string) => {
    if (!graph) return;
    const id = nodeIdFor(name, (candidate) => candidate in graph.nodes);
    const edge = graph.edges.find((candidate) => edgeKey(candidate) === selection.edge);
    const position = newNodePosition(edge, positions);
    dispatch({ type: "placed", node: id, position });
    sendGraph("addnode", { id, component: name, metadata: position });
    if (edge) spliceIntoEdge(sendGraph, edge, id, components.get(name));
    dispatch({ type: "selected", selection: { node: id, edge: null } });
  };

  const removeNode = (node: string) => {
    sendGraph("removenode", { id: node });
    dispatch({ type: "selected", selection: { node: null, edge: null } });
  };

  return {
    state,
    openCatalogueGraph(name: string) {
      runtime.requestCatalogueSource(name, (definition) => openGraph(name, definition));
    },
    /** Published under another name: the editor goes on with that copy. */
    published(name: string, definition: FbpGraph) {
      if (graph && name !== graph.id) openGraph(name, definition);
    },
    changeProperty(node: string, port: string, value: unknown) {
      dispatch({ type: "property-changed", node, port, value });
      sendChange(node, port, value);
    },
    chooseInput(path: string) {
      dispatch({ type: "input-chosen", path });
      const target = graph?.inports[INPUT_PORT];
      if (target) {
        sendGraph("addinitial", {
          src: { data: path },
          tgt: { node: target.node, port: target.port },
        });
      }
    },
    /** Exposes a node's free image pad as an image inport (metadata type image). */
    exposeImage(node: string, pad: string, name: string) {
      sendGraph("addinport", imageInport(node, pad, name));
    },
    addComponent,
    removeNode,
    select: (next: Selection) => dispatch({ type: "selected", selection: next }),
    move(node: string, position: Position, done: boolean) {
      dispatch({ type: "placed", node, position });
      if (done) {
        const metadata = { x: Math.round(position.x), y: Math.round(position.y) };
        sendGraph("changenode", { id: node, metadata });
      }
    },
    connect: (edge: EditorEdge) => sendGraph("addedge", edge as unknown as Record<string, unknown>),
    removeEdge: (edge: EditorEdge) => sendGraph("removeedge", { src: edge.src, tgt: edge.tgt }),
    previewLoaded: (url: string) => dispatch({ type: "preview-loaded", url }),
    previewFailed: (url: string, error: string) => dispatch({ type: "preview-failed", url, error }),
  };
}

export type Editor = ReturnType<typeof useEditor>;
