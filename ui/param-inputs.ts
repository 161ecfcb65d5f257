import { pickerColor, withPickedColor } from "./color-value.ts";
import { h } from "./create-element.ts";
import { exampleButtons, markPicked } from "./image-picker.ts";
import { fieldHint, type ParamField } from "./param-fields.ts";

/** The controls editing one graph parameter, read and written as form text. */
export interface ParamInput {
  field: ParamField;
  element: HTMLElement;
  get(): string;
  set(value: string): void;
}

interface Control {
  nodes: Node[];
  get(): string;
  set(value: string): void;
}

const controlId = (field: ParamField) => `param-${field.name}`;

/**
 * A text field and a companion showing the same value (a slider, a colour picker): the text is
 * the value; the companion writes it (as typing would) and follows it.
 */
function pairedControl(
  companion: HTMLInputElement,
  text: HTMLInputElement,
  fromCompanion: () => string,
  syncCompanion: () => void,
): Control {
  companion.addEventListener("input", () => {
    text.value = fromCompanion();
    text.dispatchEvent(new Event("input", { bubbles: true }));
  });
  text.addEventListener("input", syncCompanion);
  return {
    nodes: [companion, text],
    get: () => text.value,
    set: (value) => {
      text.value = value;
      syncCompanion();
    },
  };
}

function numberControl(field: Extract<ParamField, { kind: "number" }>): Control {
  const bounds = { min: field.minimum, max: field.maximum, step: field.step };
  const number = h("input", {
    id: controlId(field),
    name: field.name,
    type: "number",
    inputmode: field.integer ? "numeric" : "decimal",
    ...bounds,
    placeholder: field.default,
  });
  if (field.minimum === undefined || field.maximum === undefined) {
    return { nodes: [number], get: () => number.value, set: (value) => (number.value = value) };
  }
  const slider = h("input", { type: "range", ...bounds, tabindex: -1, "aria-hidden": "true" });
  const syncSlider = () => (slider.value = number.value === "" ? field.default : number.value);
  return pairedControl(slider, number, () => slider.value, syncSlider);
}

function colorControl(field: ParamField): Control {
  const picker = h("input", { type: "color", "aria-label": `${field.name} colour picker` });
  const text = h("input", {
    id: controlId(field),
    name: field.name,
    type: "text",
    spellcheck: "false",
    autocomplete: "off",
    placeholder: field.default || "#rrggbbaa",
  });
  const syncPicker = () => {
    const color = pickerColor(text.value || field.default);
    picker.value = color ?? "#000000";
    text.toggleAttribute("aria-invalid", text.value !== "" && color === null);
  };
  const picked = () => withPickedColor(text.value || field.default, picker.value);
  return pairedControl(picker, text, picked, syncPicker);
}

function booleanControl(field: ParamField): Control {
  const box = h("input", {
    id: controlId(field),
    name: field.name,
    type: "checkbox",
    role: "switch",
  });
  return {
    nodes: [box],
    get: () => String(box.checked),
    set: (value) => (box.checked = value === "true"),
  };
}

function enumControl(field: Extract<ParamField, { kind: "enum" }>): Control {
  const select = h(
    "select",
    { id: controlId(field), name: field.name },
    field.values.map((value) => h("option", { value }, [value])),
  );
  return { nodes: [select], get: () => select.value, set: (value) => (select.value = value) };
}

function textControl(field: ParamField): Control {
  const text = h("input", {
    id: controlId(field),
    name: field.name,
    type: "text",
    placeholder: field.default,
  });
  return { nodes: [text], get: () => text.value, set: (value) => (text.value = value) };
}

/** An image URL, typed or picked from the example images, like the input section's. */
function imageControl(field: ParamField): Control {
  const url = h("input", {
    id: controlId(field),
    name: field.name,
    type: "text",
    inputmode: "url",
    spellcheck: "false",
    autocomplete: "off",
    placeholder: field.default || "https://example.com/logo.png or files/gridbear.jpg",
  });
  const examples = exampleButtons(`Example images for ${field.name}`, (path) => {
    url.value = path;
    url.dispatchEvent(new Event("input", { bubbles: true }));
  });
  url.addEventListener("input", () => markPicked(examples, url.value));
  return {
    nodes: [url, examples],
    get: () => url.value,
    set: (value) => {
      url.value = value;
      markPicked(examples, value);
    },
  };
}

function controlFor(field: ParamField): Control {
  switch (field.kind) {
    case "number":
      return numberControl(field);
    case "color":
      return colorControl(field);
    case "boolean":
      return booleanControl(field);
    case "enum":
      return enumControl(field);
    case "text":
      return textControl(field);
    case "image":
      return imageControl(field);
  }
}

/** Builds the labelled control for one parameter, filled with its default. */
export function paramInput(field: ParamField): ParamInput {
  const control = controlFor(field);
  const hint = fieldHint(field);
  const help =
    field.description && field.description !== field.name
      ? [h("p", { class: "field-help" }, [field.description])]
      : [];
  const element = h("div", { class: `field field-${field.kind}`, "data-param": field.name }, [
    h("div", { class: "field-head" }, [
      h("label", { class: "field-name", for: controlId(field) }, [field.name]),
      ...(hint ? [h("span", { class: "field-hint" }, [hint])] : []),
    ]),
    h("div", { class: "field-control" }, control.nodes),
    ...help,
  ]);
  control.set(field.default);
  return { field, element, get: control.get, set: control.set };
}
