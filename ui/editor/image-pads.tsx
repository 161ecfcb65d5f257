import { useState } from "react";
import { EXAMPLE_IMAGES } from "../example-images.ts";
import { type ComponentInfo, isImagePort } from "./components.ts";
import { type EditorGraph, exposedInportOf, portValue } from "./editor-graph.ts";

export interface ImagePadsProps {
  graph: EditorGraph;
  node: string;
  component: ComponentInfo | undefined;
  /** Gives the pad an image URL (its initial value), which the preview renders with. */
  onImage(pad: string, url: string): void;
  /** Exports the pad as an image inport of the graph under this name. */
  onExpose(pad: string, inport: string): void;
}

/** One unconnected image pad: its image URL, and the image inport it is (or could be) exported as. */
function ImagePad({ pad, ...props }: Omit<ImagePadsProps, "component"> & { pad: string }) {
  const exposed = exposedInportOf(props.graph, props.node, pad);
  const url = String(portValue(props.graph, props.node, pad, "") ?? "");
  const [name, setName] = useState(pad === "aux" ? "overlay" : pad);
  const id = `image-${pad}`;
  return (
    <div className="prop image-pad" data-pad={pad}>
      <label htmlFor={id}>{pad}</label>
      <div className="image-pad-controls">
        <input
          id={id}
          type="text"
          list="example-image-urls"
          placeholder="Image URL or files/…"
          value={url}
          onChange={(event) => {
            if (event.target.value.trim() !== "") props.onImage(pad, event.target.value.trim());
          }}
        />
        {exposed ? (
          <span className="muted">
            image inport <code>{exposed}</code>
          </span>
        ) : (
          <span className="image-pad-expose">
            <input
              aria-label={`Inport name for ${pad}`}
              value={name}
              onChange={(event) => setName(event.target.value)}
            />
            <button
              type="button"
              className="small-button"
              disabled={name.trim() === "" || name.trim() in props.graph.inports}
              onClick={() => props.onExpose(pad, name.trim())}
            >
              Expose as image
            </button>
          </span>
        )}
      </div>
    </div>
  );
}

/**
 * The node's image pads that no connection feeds: each takes an image URL for the preview and
 * can be exported as an image inport (contract §8), a URL parameter of the published graph.
 */
export function ImagePads({ component, ...props }: ImagePadsProps) {
  const fed = (pad: string) =>
    props.graph.edges.some((edge) => edge.tgt.node === props.node && edge.tgt.port === pad);
  const pads = (component?.inPorts ?? []).filter((port) => isImagePort(port) && !fed(port.id));
  if (pads.length === 0) return null;
  return (
    <div className="image-pads">
      <h3>Images</h3>
      <datalist id="example-image-urls">
        {EXAMPLE_IMAGES.map((image) => (
          <option key={image.path} value={image.path}>
            {image.label}
          </option>
        ))}
      </datalist>
      {pads.map((port) => (
        <ImagePad key={port.id} pad={port.id} {...props} />
      ))}
    </div>
  );
}
