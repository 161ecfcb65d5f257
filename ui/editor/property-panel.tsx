import { pickerColor, withPickedColor } from "../color-value.ts";
import { type ComponentInfo, isImagePort, type PortInfo } from "./components.ts";
import type { EditorGraph } from "./editor-graph.ts";
import { ImagePads } from "./image-pads.tsx";

export interface PropertyPanelProps {
  graph: EditorGraph;
  node: string;
  component: ComponentInfo | undefined;
  value(port: PortInfo): unknown;
  onChange(port: string, value: unknown): void;
  /** Exports one of the node's image pads as an image inport. */
  onExpose(pad: string, inport: string): void;
  onDelete(): void;
}

interface InputProps {
  port: PortInfo;
  value: unknown;
  onChange(value: unknown): void;
}

/** The id the property's label points at. */
const inputId = (port: PortInfo) => `prop-${port.id}`;

const textOf = (value: unknown) => (value === undefined || value === null ? "" : String(value));

/** One property as a typed input: slider + number, checkbox, colour picker, choice, text. */
function PropertyInput({ port, value, onChange }: InputProps) {
  const id = inputId(port);
  const text = textOf(value);
  switch (port.type) {
    case "number":
    case "int":
      return <NumberInput port={port} value={value} onChange={onChange} />;
    case "boolean":
      return (
        <input
          id={id}
          type="checkbox"
          checked={value === true || value === "true"}
          onChange={(event) => onChange(event.target.checked)}
        />
      );
    case "color":
      return (
        <div className="prop-color">
          <input
            id={id}
            type="color"
            value={pickerColor(text) ?? "#000000"}
            onChange={(event) => onChange(withPickedColor(text, event.target.value))}
          />
          <code>{text}</code>
        </div>
      );
    case "enum":
      return (
        <select id={id} value={text} onChange={(event) => onChange(event.target.value)}>
          {(port.values ?? []).map((choice) => (
            <option key={choice} value={choice}>
              {choice}
            </option>
          ))}
        </select>
      );
    default:
      return (
        <input
          id={id}
          type="text"
          value={text}
          onChange={(event) => onChange(event.target.value)}
        />
      );
  }
}

/** A number or int property: a number field, with a slider when the port has both bounds. */
function NumberInput({ port, value, onChange }: InputProps) {
  const text = textOf(value);
  const step = port.type === "int" ? 1 : "any";
  const parse = (raw: string) => (port.type === "int" ? Number.parseInt(raw, 10) : Number(raw));
  const bounded = port.minimum !== undefined && port.maximum !== undefined;
  return (
    <div className="prop-number">
      {bounded && (
        <input
          type="range"
          aria-label={`${port.id} slider`}
          min={port.minimum}
          max={port.maximum}
          step={port.type === "int" ? 1 : (Number(port.maximum) - Number(port.minimum)) / 200}
          value={text === "" ? String(port.minimum) : text}
          onChange={(event) => onChange(parse(event.target.value))}
        />
      )}
      <input
        id={inputId(port)}
        type="number"
        step={step}
        min={port.minimum}
        max={port.maximum}
        value={text}
        onChange={(event) => {
          const parsed = parse(event.target.value);
          if (Number.isFinite(parsed)) onChange(parsed);
        }}
      />
    </div>
  );
}

/** The selected node's properties (every port that is not an image pad), then its free image pads. */
export function PropertyPanel(props: PropertyPanelProps) {
  const ports = (props.component?.inPorts ?? []).filter((port) => !isImagePort(port));
  return (
    <section className="editor-section" aria-label="Properties" data-node={props.node}>
      <div className="section-head">
        <h2>{props.node}</h2>
        <button type="button" className="small-button" onClick={props.onDelete}>
          Delete
        </button>
      </div>
      <p className="muted">{props.component?.description ?? props.component?.name}</p>
      {ports.length === 0 && <p className="muted">No properties.</p>}
      {ports.map((port) => (
        <div key={port.id} className="prop" data-port={port.id} title={port.description}>
          <label htmlFor={inputId(port)}>{port.id}</label>
          <PropertyInput
            port={port}
            value={props.value(port)}
            onChange={(value) => props.onChange(port.id, value)}
          />
        </div>
      ))}
      <ImagePads
        graph={props.graph}
        node={props.node}
        component={props.component}
        onImage={props.onChange}
        onExpose={props.onExpose}
      />
    </section>
  );
}
