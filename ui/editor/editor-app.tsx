import { ReactFlowProvider } from "@xyflow/react";
import { buildProcessingUrl } from "../../shared/signed-url.ts";
import { catalogueGraphNames } from "./components.ts";
import { exportGraph, portValue, processingParams } from "./editor-graph.ts";
import type { Status } from "./editor-state.ts";
import { GraphCanvas } from "./graph-canvas.tsx";
import { GraphSection } from "./graph-section.tsx";
import { Palette } from "./palette.tsx";
import { PreviewSection } from "./preview-section.tsx";
import { PropertyPanel } from "./property-panel.tsx";
import { PublishPanel } from "./publish-panel.tsx";
import type { RuntimeAddress } from "./runtime-connection.ts";
import { type Editor, useEditor } from "./use-editor.ts";

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
  const { graph } = editor.state;

  /** The processing URL of the graph named `name` with the exported inports' current values. */
  const processingUrlOf = (name: string) =>
    graph
      ? buildProcessingUrl({ server: `${location.origin}/` }, name, processingParams(graph))
      : "";

  return (
    <div className="editor" data-status={editor.state.status.state}>
      <TopBar status={editor.state.status} />
      <div className="editor-layout">
        <GraphSide editor={editor} processingUrlOf={processingUrlOf} />
        <EditorCanvas editor={editor} />
        <InspectSide editor={editor} processingUrlOf={processingUrlOf} />
      </div>
    </div>
  );
}

interface SideProps {
  editor: Editor;
  processingUrlOf(name: string): string;
}

/** The left side: open a graph and its input, publish it, add components. */
function GraphSide({ editor, processingUrlOf }: SideProps) {
  const { state } = editor;
  const { graph, components, selection } = state;
  return (
    <aside className="panel editor-side">
      <GraphSection
        state={state}
        catalogueNames={catalogueGraphNames(components.values())}
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
  );
}

/** The graph once the runtime has loaded it, else what to do first. */
function EditorCanvas({ editor }: { editor: Editor }) {
  const { graph, components, positions, selection, loaded } = editor.state;
  return (
    <main className="editor-canvas" id="canvas">
      {graph && loaded ? (
        <ReactFlowProvider key={graph.id}>
          <GraphCanvas
            graph={graph}
            components={components}
            positions={positions}
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
  );
}

/** The right side: the preview, then the selected node's properties. */
function InspectSide({ editor, processingUrlOf }: SideProps) {
  const { graph, components, selection, preview } = editor.state;
  const selectedNode = selection.node && graph?.nodes[selection.node] ? selection.node : null;
  return (
    <aside className="panel editor-side">
      <PreviewSection
        preview={preview}
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
  );
}
