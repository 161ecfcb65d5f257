import { useCallback, useEffect, useReducer, useRef } from "react";
import { INPUT_PORT } from "../../shared/catalogue.ts";
import type { FbpGraph } from "../../shared/graph-definition.ts";
import { isImagePort, nodeIdFor } from "./components.ts";
import { type EditorEdge, imageInport } from "./editor-graph.ts";
import { editorReducer, initialEditorState, type Position } from "./editor-state.ts";
import { edgeKey, type Selection } from "./graph-canvas.tsx";
import { replayGraph } from "./graph-replay.ts";
import {
  type RuntimeAddress,
  RuntimeConnection,
  type RuntimeMessage,
  rememberAddress,
} from "./runtime-connection.ts";

// Slider drags send at most one change per interval, and always the last one.
const CHANGE_INTERVAL_MS = 80;

type Send = (command: string, payload: Record<string, unknown>) => void;

/** Sends a property's changes at most once an interval, and always its last value. */
function useThrottledChanges(sendGraph: Send) {
  const throttles = useRef(new Map<string, { timer: number | null; value: unknown }>());
  return (node: string, port: string, value: unknown) => {
    const key = `${node}.${port}`;
    const entry = throttles.current.get(key) ?? { timer: null, value };
    entry.value = value;
    throttles.current.set(key, entry);
    if (entry.timer !== null) return;
    sendGraph("addinitial", { src: { data: value }, tgt: { node, port } });
    entry.timer = window.setTimeout(() => {
      entry.timer = null;
      throttles.current.delete(key);
      if (entry.value !== value)
        sendGraph("addinitial", { src: { data: entry.value }, tgt: { node, port } });
    }, CHANGE_INTERVAL_MS);
  };
}

/** The runtime connection: its messages go to `onMessage`, a lost or refused one to `onFailure`. */
function useRuntime(
  address: RuntimeAddress,
  onMessage: (message: RuntimeMessage) => void,
  onFailure: (why: string) => void,
) {
  const connection = useRef<RuntimeConnection | null>(null);
  useEffect(() => {
    const runtime = new RuntimeConnection(address, onMessage, onFailure);
    connection.current = runtime;
    runtime.opened.then(
      () => {
        rememberAddress(address);
        runtime.send("component", "list");
      },
      (error: Error) => onFailure(error.message),
    );
    return () => runtime.close();
  }, [address, onMessage, onFailure]);
  return useCallback(
    (protocol: string, command: string, payload: Record<string, unknown> = {}) =>
      connection.current?.send(protocol, command, payload),
    [],
  );
}

/**
 * The editor's state (editor-state.ts) and what a person can do with it: connects to the runtime,
 * mirrors its graph from the runtime's messages, and edits it through the protocol.
 */
export function useEditor(address: RuntimeAddress) {
  const [state, dispatch] = useReducer(editorReducer, address.url, initialEditorState);
  const graphId = useRef<string | null>(null);
  const pendingSource = useRef<(source: FbpGraph) => void>(() => {});

  const onMessage = useCallback((message: RuntimeMessage) => {
    if (message.protocol === "component" && message.command === "source") {
      const { code } = (message.payload ?? {}) as { code?: unknown };
      pendingSource.current(JSON.parse(String(code)) as FbpGraph);
      return;
    }
    dispatch({ type: "message", message });
  }, []);
  const onFailure = useCallback((why: string) => dispatch({ type: "failed", why }), []);
  const send = useRuntime(address, onMessage, onFailure);
  const sendGraph = useCallback<Send>(
    (command, payload) => send("graph", command, { ...payload, graph: graphId.current }),
    [send],
  );
  const sendChange = useThrottledChanges(sendGraph);
  const { graph, components, positions, selection, input } = state;

  /** Replays a graph file into the runtime as a new main graph, then starts its network. */
  const openGraph = (name: string, definition: FbpGraph) => {
    graphId.current = name;
    const replay = replayGraph(name, definition, input);
    const description = definition.properties?.description ?? name;
    dispatch({ type: "opened", name, description, positions: replay.positions });
    for (const { protocol, command, payload } of replay.commands) send(protocol, command, payload);
  };

  /** Adds a component; with an edge selected, the new node goes into that edge. */
  const addComponent = (name: string) => {
    if (!graph) return;
    const info = components.get(name);
    const id = nodeIdFor(name, (candidate) => candidate in graph.nodes);
    const edge = graph.edges.find((candidate) => edgeKey(candidate) === selection.edge);
    const from = edge ? positions[edge.src.node] : undefined;
    const to = edge ? positions[edge.tgt.node] : undefined;
    const position =
      from && to ? { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 + 90 } : { x: 0, y: -140 };
    dispatch({ type: "placed", node: id, position });
    sendGraph("addnode", { id, component: name, metadata: position });
    const imageIn = info?.inPorts.find(isImagePort)?.id;
    const imageOut = info?.outPorts.find(isImagePort)?.id;
    if (edge && imageIn && imageOut) {
      sendGraph("removeedge", { src: edge.src, tgt: edge.tgt });
      sendGraph("addedge", { src: edge.src, tgt: { node: id, port: imageIn } });
      sendGraph("addedge", { src: { node: id, port: imageOut }, tgt: edge.tgt });
    }
    dispatch({ type: "selected", selection: { node: id, edge: null } });
  };

  const removeNode = (node: string) => {
    sendGraph("removenode", { id: node });
    dispatch({ type: "selected", selection: { node: null, edge: null } });
  };

  return {
    state,
    openCatalogueGraph(name: string) {
      pendingSource.current = (definition) => openGraph(name, definition);
      send("component", "getsource", { name: `graphs/${name}` });
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
