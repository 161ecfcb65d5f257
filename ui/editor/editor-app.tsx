import { ReactFlowProvider } from "@xyflow/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { INPUT_PORT } from "../../shared/catalogue.ts";
import type { FbpGraph } from "../../shared/graph-definition.ts";
import { buildProcessingUrl } from "../../shared/signed-url.ts";
import { EXAMPLE_IMAGES } from "../example-images.ts";
import { type ComponentInfo, isImagePort, nodeIdFor } from "./components.ts";
import {
  applyGraphMessage,
  type EditorEdge,
  type EditorGraph,
  emptyGraph,
  exportGraph,
  imageInport,
  portValue,
  processingParams,
} from "./editor-graph.ts";
import { edgeKey, GraphCanvas, type Selection } from "./graph-canvas.tsx";
import { replayGraph } from "./graph-replay.ts";
import { Palette } from "./palette.tsx";
import { PropertyPanel } from "./property-panel.tsx";
import { PublishPanel } from "./publish-panel.tsx";
import {
  type RuntimeAddress,
  RuntimeConnection,
  type RuntimeMessage,
  rememberAddress,
} from "./runtime-connection.ts";

type Status = { state: "connecting" | "ready" | "error"; text: string };
type Preview = { url: string; state: "loading" | "ready" | "error"; error?: string };

/** Why a preview failed, from the runtime's JSON error. */
async function previewError(url: string): Promise<string> {
  try {
    const body = (await (await fetch(url)).json()) as { error?: string };
    return body.error ?? "The preview failed.";
  } catch {
    return "The preview could not be loaded.";
  }
}
type Positions = Record<string, { x: number; y: number }>;

// Slider drags send at most one change per interval, and always the last one.
const CHANGE_INTERVAL_MS = 80;

function download(name: string, text: string): void {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** The editor: connects to the runtime, mirrors its graph, edits it through the protocol. */
export function EditorApp({ address }: { address: RuntimeAddress }) {
  const connection = useRef<RuntimeConnection | null>(null);
  const graphId = useRef<string | null>(null);
  const throttles = useRef(new Map<string, { timer: number | null; value: unknown }>());
  const [status, setStatus] = useState<Status>({
    state: "connecting",
    text: `Connecting to ${address.url}…`,
  });
  const [components, setComponents] = useState<ReadonlyMap<string, ComponentInfo>>(new Map());
  const [graph, setGraph] = useState<EditorGraph | null>(null);
  const [description, setDescription] = useState("");
  const [loaded, setLoaded] = useState(false);
  const [positions, setPositions] = useState<Positions>({});
  const [selection, setSelection] = useState<Selection>({ node: null, edge: null });
  const [preview, setPreview] = useState<Preview | null>(null);
  const [input, setInput] = useState<string>(EXAMPLE_IMAGES[0].path);
  const pendingSource = useRef<(source: FbpGraph) => void>(() => {});

  const send = useCallback(
    (protocol: string, command: string, payload: Record<string, unknown> = {}) => {
      connection.current?.send(protocol, command, payload);
    },
    [],
  );
  const sendGraph = useCallback(
    (command: string, payload: Record<string, unknown>) =>
      send("graph", command, { ...payload, graph: graphId.current }),
    [send],
  );

  const onMessage = useCallback(
    (message: RuntimeMessage) => {
      const payload = (message.payload ?? {}) as Record<string, unknown>;
      if (message.command === "error") {
        setStatus({ state: "error", text: `${message.protocol}: ${String(payload.message)}` });
        return;
      }
      if (message.protocol === "component") {
        if (message.command === "component") {
          const info = payload as unknown as ComponentInfo;
          setComponents((previous) => new Map(previous).set(info.name, info));
        } else if (message.command === "componentsready") {
          setStatus({ state: "ready", text: `Connected to ${address.url}` });
        } else if (message.command === "source") {
          pendingSource.current(JSON.parse(String(payload.code)) as FbpGraph);
        }
        return;
      }
      if (message.protocol === "graph") {
        if (message.command === "clear") {
          if (payload.id !== graphId.current) return;
          setGraph(emptyGraph(String(payload.id)));
          return;
        }
        if (payload.graph !== graphId.current) return;
        setGraph((previous) =>
          previous ? applyGraphMessage(previous, { command: message.command, payload }) : previous,
        );
        if (message.command === "addnode") {
          const metadata = (payload.metadata ?? {}) as { x?: number; y?: number };
          if (typeof metadata.x === "number" && typeof metadata.y === "number") {
            const position = { x: metadata.x, y: metadata.y };
            setPositions((previous) => ({
              ...previous,
              [String(payload.id)]: previous[String(payload.id)] ?? position,
            }));
          }
        }
        return;
      }
      if (message.protocol === "network") {
        if (message.command === "started" && payload.graph === graphId.current) setLoaded(true);
        if (message.command === "output" && payload.type === "previewurl") {
          const url = String(payload.url);
          if (new URL(url).searchParams.get("graph") === graphId.current)
            setPreview({ url, state: "loading" });
        }
      }
    },
    [address.url],
  );

  useEffect(() => {
    const runtime = new RuntimeConnection(address, onMessage, (why) =>
      setStatus({ state: "error", text: why }),
    );
    connection.current = runtime;
    runtime.opened.then(
      () => {
        rememberAddress(address);
        runtime.send("component", "list");
      },
      (error: Error) => setStatus({ state: "error", text: error.message }),
    );
    return () => runtime.close();
  }, [address, onMessage]);

  /** Replays a graph file into the runtime as a new main graph, then starts its network. */
  const openGraph = useCallback(
    (name: string, definition: FbpGraph) => {
      graphId.current = name;
      setLoaded(false);
      setPreview(null);
      setSelection({ node: null, edge: null });
      setDescription(definition.properties?.description ?? name);
      const { commands, positions } = replayGraph(name, definition, input);
      setPositions(positions);
      for (const { protocol, command, payload } of commands) send(protocol, command, payload);
    },
    [input, send],
  );

  const openCatalogueGraph = (name: string) => {
    pendingSource.current = (definition) => openGraph(name, definition);
    send("component", "getsource", { name: `graphs/${name}` });
  };

  /** Published under another name: the editor goes on with that copy. */
  const published = (name: string, definition: FbpGraph) => {
    if (graph && name !== graph.id) openGraph(name, definition);
  };

  const changeProperty = (node: string, port: string, value: unknown) => {
    setGraph((previous) =>
      previous
        ? applyGraphMessage(previous, {
            command: "addinitial",
            payload: { src: { data: value }, tgt: { node, port } },
          })
        : previous,
    );
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

  const chooseInput = (path: string) => {
    setInput(path);
    const target = graph?.inports[INPUT_PORT];
    if (target)
      sendGraph("addinitial", {
        src: { data: path },
        tgt: { node: target.node, port: target.port },
      });
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
    setPositions((previous) => ({ ...previous, [id]: position }));
    sendGraph("addnode", { id, component: name, metadata: position });
    const input = info?.inPorts.find(isImagePort)?.id;
    const output = info?.outPorts.find(isImagePort)?.id;
    if (edge && input && output) {
      sendGraph("removeedge", { src: edge.src, tgt: edge.tgt });
      sendGraph("addedge", { src: edge.src, tgt: { node: id, port: input } });
      sendGraph("addedge", { src: { node: id, port: output }, tgt: edge.tgt });
    }
    setSelection({ node: id, edge: null });
  };

  const removeNode = (node: string) => {
    sendGraph("removenode", { id: node });
    setSelection({ node: null, edge: null });
  };

  /** The processing URL of the graph named `name` with the exported inports' current values. */
  const processingUrlOf = (name: string) =>
    graph
      ? buildProcessingUrl({ server: `${location.origin}/` }, name, processingParams(graph))
      : "";

  const catalogueNames = [...components.values()]
    .filter((component) => component.name.startsWith("graphs/"))
    .map((component) => component.name.slice("graphs/".length))
    .sort();
  const selectedNode = selection.node && graph?.nodes[selection.node] ? selection.node : null;

  return (
    <div className="editor" data-status={status.state}>
      <header className="topbar">
        <a className="brand" href="./">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">imgflo</span>
          <span className="brand-sub">graph editor</span>
        </a>
        <span id="runtime-status" className={`status ${status.state}`}>
          {status.text}
        </span>
        <nav className="topnav">
          <a href="./">Testing UI</a>
        </nav>
      </header>
      <div className="editor-layout">
        <aside className="panel editor-side">
          <section className="editor-section" aria-label="Graph">
            <h2>Graph</h2>
            <select
              id="open-graph"
              value={graph?.id ?? ""}
              onChange={(event) => openCatalogueGraph(event.target.value)}
              disabled={status.state === "connecting"}
            >
              <option value="" disabled>
                Open a catalogue graph…
              </option>
              {graph && !catalogueNames.includes(graph.id) && (
                <option value={graph.id} disabled>
                  {graph.id}
                </option>
              )}
              {catalogueNames.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
            <label className="label" htmlFor="input-image">
              Input image
            </label>
            <select
              id="input-image"
              value={input}
              onChange={(event) => chooseInput(event.target.value)}
            >
              {EXAMPLE_IMAGES.map((image) => (
                <option key={image.path} value={image.path}>
                  {image.label}
                </option>
              ))}
            </select>
            <div className="button-row">
              <button
                type="button"
                id="export-json"
                disabled={!graph}
                onClick={() =>
                  graph &&
                  download(
                    `${graph.id}.json`,
                    `${JSON.stringify(exportGraph(graph, description), null, 2)}\n`,
                  )
                }
              >
                Export JSON
              </button>
            </div>
          </section>
          {graph && (
            <PublishPanel
              name={graph.id}
              document={(name) => exportGraph({ ...graph, id: name }, description)}
              processingUrl={processingUrlOf}
              onPublished={published}
            />
          )}
          <Palette
            components={components}
            onPick={addComponent}
            hint={
              selection.edge
                ? "Adding inserts the component into the selected edge."
                : "Select an edge to insert into it."
            }
          />
        </aside>
        <main className="editor-canvas" id="canvas">
          {graph && loaded ? (
            <ReactFlowProvider key={graph.id}>
              <GraphCanvas
                graph={graph}
                components={components}
                positions={positions}
                selection={selection}
                onSelect={setSelection}
                onMove={(node, position, done) => {
                  setPositions((previous) => ({ ...previous, [node]: position }));
                  if (done)
                    sendGraph("changenode", {
                      id: node,
                      metadata: { x: Math.round(position.x), y: Math.round(position.y) },
                    });
                }}
                onConnect={(edge: EditorEdge) =>
                  sendGraph("addedge", edge as unknown as Record<string, unknown>)
                }
                onRemoveNode={removeNode}
                onRemoveEdge={(edge) => sendGraph("removeedge", { src: edge.src, tgt: edge.tgt })}
              />
            </ReactFlowProvider>
          ) : (
            <p className="editor-empty muted">Open a graph of the catalogue to edit it.</p>
          )}
        </main>
        <aside className="panel editor-side">
          <section className="editor-section" aria-label="Preview">
            <h2>Preview</h2>
            <div className="preview-stage">
              {preview && (
                <img
                  id="preview"
                  alt="Live preview"
                  src={preview.url}
                  data-state={preview.state}
                  onLoad={() =>
                    setPreview((current) =>
                      current?.url === preview.url ? { ...current, state: "ready" } : current,
                    )
                  }
                  onError={async () => {
                    const error = await previewError(preview.url);
                    setPreview((current) =>
                      current?.url === preview.url
                        ? { ...current, state: "error", error }
                        : current,
                    );
                  }}
                />
              )}
            </div>
            {preview?.error && (
              <p id="preview-error" className="note">
                {preview.error}
              </p>
            )}
            {graph && (
              <>
                <label className="label" htmlFor="processing-url">
                  Processing URL
                </label>
                <output id="processing-url" className="processing-url">
                  {processingUrlOf(graph.id)}
                </output>
              </>
            )}
          </section>
          {graph && selectedNode && (
            <PropertyPanel
              graph={graph}
              node={selectedNode}
              component={components.get(graph.nodes[selectedNode]?.component ?? "")}
              value={(port) => portValue(graph, selectedNode, port.id, port.default)}
              onChange={(port, value) => changeProperty(selectedNode, port, value)}
              onExpose={(pad, name) => sendGraph("addinport", imageInport(selectedNode, pad, name))}
              onDelete={() => removeNode(selectedNode)}
            />
          )}
        </aside>
      </div>
    </div>
  );
}
