import { EXAMPLE_IMAGES } from "../example-images.ts";
import { exportGraph } from "./editor-graph.ts";
import type { EditorState } from "./editor-state.ts";

function download(name: string, text: string): void {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

interface GraphSectionProps {
  state: EditorState;
  /** The graphs of the catalogue the runtime lists. */
  catalogueNames: readonly string[];
  onOpen: (name: string) => void;
  onChooseInput: (path: string) => void;
}

/** Which graph is open, which example image feeds it, and its export as a JSON file. */
export function GraphSection({ state, catalogueNames, onOpen, onChooseInput }: GraphSectionProps) {
  const { graph, description, input, status } = state;
  return (
    <section className="editor-section" aria-label="Graph">
      <h2>Graph</h2>
      <select
        id="open-graph"
        value={graph?.id ?? ""}
        onChange={(event) => onOpen(event.target.value)}
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
        onChange={(event) => onChooseInput(event.target.value)}
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
  );
}
