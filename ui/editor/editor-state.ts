import { EXAMPLE_IMAGES } from "../example-images.ts";
import type { ComponentInfo } from "./components.ts";
import { applyGraphMessage, type EditorGraph, emptyGraph } from "./editor-graph.ts";
import type { Selection } from "./graph-canvas.tsx";
import type { RuntimeMessage } from "./runtime-connection.ts";

export type Status = { state: "connecting" | "ready" | "error"; text: string };
export type Preview = { url: string; state: "loading" | "ready" | "error"; error?: string };
export type Position = { x: number; y: number };
export type Positions = Record<string, Position>;

/** Everything the editor shows: the runtime's status, its components and the graph being edited. */
export interface EditorState {
  /** The runtime's address, for the status line. */
  runtimeUrl: string;
  status: Status;
  components: ReadonlyMap<string, ComponentInfo>;
  /** The main graph opened, whose messages the editor follows; null before one is opened. */
  graphId: string | null;
  graph: EditorGraph | null;
  description: string;
  /** The runtime started the graph's network: the canvas can show it. */
  loaded: boolean;
  positions: Positions;
  selection: Selection;
  preview: Preview | null;
  /** The example image the graph's `input` inport is fed. */
  input: string;
}

export type EditorAction =
  | { type: "message"; message: RuntimeMessage }
  | { type: "failed"; why: string }
  | { type: "opened"; name: string; description: string; positions: Positions }
  | { type: "property-changed"; node: string; port: string; value: unknown }
  | { type: "input-chosen"; path: string }
  | { type: "placed"; node: string; position: Position }
  | { type: "selected"; selection: Selection }
  | { type: "preview-loaded"; url: string }
  | { type: "preview-failed"; url: string; error: string };

const NOTHING_SELECTED: Selection = { node: null, edge: null };

export function initialEditorState(runtimeUrl: string): EditorState {
  return {
    runtimeUrl,
    status: { state: "connecting", text: `Connecting to ${runtimeUrl}…` },
    components: new Map(),
    graphId: null,
    graph: null,
    description: "",
    loaded: false,
    positions: {},
    selection: NOTHING_SELECTED,
    preview: null,
    input: EXAMPLE_IMAGES[0].path,
  };
}

function componentMessage(state: EditorState, { command, payload }: RuntimeMessage): EditorState {
  if (command === "component") {
    const info = payload as unknown as ComponentInfo;
    return { ...state, components: new Map(state.components).set(info.name, info) };
  }
  if (command === "componentsready") {
    return { ...state, status: { state: "ready", text: `Connected to ${state.runtimeUrl}` } };
  }
  return state;
}

/** A node added with a position keeps the one it has here (the editor placed it first). */
function placedByRuntime(state: EditorState, payload: Record<string, unknown>): Positions {
  const metadata = (payload.metadata ?? {}) as { x?: number; y?: number };
  const id = String(payload.id);
  if (typeof metadata.x !== "number" || typeof metadata.y !== "number") return state.positions;
  return { ...state.positions, [id]: state.positions[id] ?? { x: metadata.x, y: metadata.y } };
}

function graphMessage(state: EditorState, { command, payload }: RuntimeMessage): EditorState {
  const body = (payload ?? {}) as Record<string, unknown>;
  if (command === "clear") {
    return body.id === state.graphId ? { ...state, graph: emptyGraph(String(body.id)) } : state;
  }
  if (body.graph !== state.graphId) return state;
  return {
    ...state,
    graph: state.graph ? applyGraphMessage(state.graph, { command, payload: body }) : state.graph,
    positions: command === "addnode" ? placedByRuntime(state, body) : state.positions,
  };
}

function networkMessage(state: EditorState, { command, payload }: RuntimeMessage): EditorState {
  const body = (payload ?? {}) as Record<string, unknown>;
  if (command === "started" && body.graph === state.graphId) return { ...state, loaded: true };
  if (command === "output" && body.type === "previewurl") {
    const url = String(body.url);
    if (new URL(url).searchParams.get("graph") === state.graphId) {
      return { ...state, preview: { url, state: "loading" } };
    }
  }
  return state;
}

function runtimeMessage(state: EditorState, message: RuntimeMessage): EditorState {
  if (message.command === "error") {
    const text = `${message.protocol}: ${String((message.payload as { message?: unknown })?.message)}`;
    return { ...state, status: { state: "error", text } };
  }
  if (message.protocol === "component") return componentMessage(state, message);
  if (message.protocol === "graph") return graphMessage(state, message);
  if (message.protocol === "network") return networkMessage(state, message);
  return state;
}

/** The preview of `url`, changed by `change`; a preview of another URL (an older one) stays. */
function withPreview(state: EditorState, url: string, change: Partial<Preview>): EditorState {
  if (state.preview?.url !== url) return state;
  return { ...state, preview: { ...state.preview, ...change } };
}

/** The editor's state after an action: a pure function, so each change is testable on its own. */
export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case "message":
      return runtimeMessage(state, action.message);
    case "failed":
      return { ...state, status: { state: "error", text: action.why } };
    case "opened":
      return {
        ...state,
        graphId: action.name,
        loaded: false,
        preview: null,
        selection: NOTHING_SELECTED,
        description: action.description,
        positions: action.positions,
      };
    case "property-changed": {
      const { node, port, value } = action;
      if (!state.graph) return state;
      const payload = { src: { data: value }, tgt: { node, port } };
      return {
        ...state,
        graph: applyGraphMessage(state.graph, { command: "addinitial", payload }),
      };
    }
    case "input-chosen":
      return { ...state, input: action.path };
    case "placed":
      return { ...state, positions: { ...state.positions, [action.node]: action.position } };
    case "selected":
      return { ...state, selection: action.selection };
    case "preview-loaded":
      return withPreview(state, action.url, { state: "ready" });
    case "preview-failed":
      return withPreview(state, action.url, { state: "error", error: action.error });
  }
}
