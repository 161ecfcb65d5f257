import { ReactFlowProvider } from "@xyflow/react";
import { buildProcessingUrl } from "../../shared/signed-url.ts";
import { exportGraph, portValue, processingParams } from "./editor-graph.ts";
import type { Status } from "./editor-state.ts";
import { GraphCanvas } from "./graph-canvas.tsx";
import { GraphSection } from "./graph-section.tsx";
import { Palette } from "./palette.tsx";
import { PreviewSection } from "./preview-section.tsx";
import { PropertyPanel } from "./property-panel.tsx";
import { PublishPanel } from "./publish-panel.tsx";
import type { RuntimeAddress } from "./runtime-connection.ts";
import { useEditor } from "./use-editor.ts";

function TopBar({ status }: { status: Status }) {
  return (
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
  );
}

/** The editor: its state and actions come from useEditor; this lays out the panels. */
export function EditorApp({ address }: { address: RuntimeAddress }) {
  const editor = useEditor(address);
  const { state } = editor;
  const { graph, components, selection } = state;

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
    <div className="editor" data-status={state.status.state}>
      <TopBar status={state.status} />
      <div className="editor-layout">
        <aside className="panel editor-side">
          <GraphSection
            state={state}
            catalogueNames={catalogueNames}
            onOpen={editor.openCatalogueGraph}
            onChooseInput={editor.chooseInput}
          />
          {graph && (
            <PublishPanel
              name={graph.id}
              document={(name) => exportGraph({ ...graph, id: name }, state.description)}
              processingUrl={processingUrlOf}
              onPublished={editor.published}
            />
          )}
          <Palette
            components={components}
            onPick={editor.addComponent}
            hint={
              selection.edge
                ? "Adding inserts the component into the selected edge."
                : "Select an edge to insert into it."
            }
          />
        </aside>
        <main className="editor-canvas" id="canvas">
          {graph && state.loaded ? (
            <ReactFlowProvider key={graph.id}>
              <GraphCanvas
                graph={graph}
                components={components}
                positions={state.positions}
                selection={selection}
                onSelect={editor.select}
                onMove={editor.move}
                onConnect={editor.connect}
                onRemoveNode={editor.removeNode}
                onRemoveEdge={editor.removeEdge}
              />
            </ReactFlowProvider>
          ) : (
            <p className="editor-empty muted">Open a graph of the catalogue to edit it.</p>
          )}
        </main>
        <aside className="panel editor-side">
          <PreviewSection
            preview={state.preview}
            processingUrl={graph ? processingUrlOf(graph.id) : null}
            onLoaded={editor.previewLoaded}
            onFailed={editor.previewFailed}
          />
          {graph && selectedNode && (
            <PropertyPanel
              graph={graph}
              node={selectedNode}
              component={components.get(graph.nodes[selectedNode]?.component ?? "")}
              value={(port) => portValue(graph, selectedNode, port.id, port.default)}
              onChange={(port, value) => editor.changeProperty(selectedNode, port, value)}
              onExpose={(pad, name) => editor.exposeImage(selectedNode, pad, name)}
              onDelete={() => editor.removeNode(selectedNode)}
            />
          )}
        </aside>
      </div>
    </div>
  );
}
