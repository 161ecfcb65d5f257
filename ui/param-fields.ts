import { parseBooleanWord } from "../shared/boolean-words.ts";
import type { CatalogueDocument } from "../shared/catalogue.ts";
import { normaliseColor } from "../shared/color.ts";
import type { InportMetadata } from "../shared/inport-metadata.ts";

/** One graph of the `/graphs` document, as the form needs it. */
export type GraphEntry = CatalogueDocument["graphs"][string];

interface FieldBase {
  name: string;
  description: string;
  /** The value the server uses when the parameter is left out, as form text ("" when none). */
  default: string;
}

export interface NumberField extends FieldBase {
  kind: "number";
  integer: boolean;
  minimum?: number;
  maximum?: number;
  /** The `step` attribute: fine enough for the default and for about 100 steps over the range. */
  step: string;
}

export interface ColorField extends FieldBase {
  kind: "color";
}

export interface BooleanField extends FieldBase {
  kind: "boolean";
}

export interface EnumField extends FieldBase {
  kind: "enum";
  values: string[];
}

export interface TextField extends FieldBase {
  kind: "text";
}

/** An image inport: a URL like `input`'s, or one of the example images. */
export interface ImageField extends FieldBase {
  kind: "image";
}

export type ParamField =
  | NumberField
  | ColorField
  | BooleanField
  | EnumField
  | TextField
  | ImageField;

/** A graph split the way the page lays it out: input section, parameters, output size. */
export interface GraphForm {
  name: string;
  description: string;
  /** False for generators, which take no input image. */
  takesInput: boolean;
  params: ParamField[];
}

/** Inports every graph shows elsewhere in the form rather than among its parameters. */
const SECTION_INPORTS = ["input", "width", "height"];

function decimals(value: number): number {
  const text = String(value);
  if (text.includes("e-")) return Number(text.split("e-")[1]);
  return text.split(".")[1]?.length ?? 0;
}

function numberStep(metadata: InportMetadata): string {
  if (metadata.type === "int") return "1";
  const { minimum, maximum } = metadata;
  const candidates = [1];
  if (minimum !== undefined && maximum !== undefined && maximum > minimum) {
    candidates.push(10 ** Math.floor(Math.log10((maximum - minimum) / 100)));
  }
  if (typeof metadata.default === "number") candidates.push(10 ** -decimals(metadata.default));
  const step = Math.min(...candidates);
  return step >= 1 ? "1" : step.toFixed(decimals(step));
}

function defaultText(metadata: InportMetadata): string {
  const value = metadata.default;
  if (value === undefined) return metadata.type === "boolean" ? "false" : "";
  if (metadata.type === "color") return normaliseColor(String(value)) ?? String(value);
  if (metadata.type === "boolean") return booleanText(String(value));
  return String(value);
}

/** The field that edits one inport, chosen by its metadata's type. */
export function fieldFor(name: string, metadata: InportMetadata): ParamField {
  const base = { name, description: metadata.description, default: defaultText(metadata) };
  switch (metadata.type) {
    case "int":
    case "number": {
      const field: NumberField = {
        ...base,
        kind: "number",
        integer: metadata.type === "int",
        step: numberStep(metadata),
      };
      if (metadata.minimum !== undefined) field.minimum = metadata.minimum;
      if (metadata.maximum !== undefined) field.maximum = metadata.maximum;
      return field;
    }
    case "color":
      return { ...base, kind: "color" };
    case "boolean":
      return { ...base, kind: "boolean" };
    case "enum":
      return { ...base, kind: "enum", values: metadata.values ?? [] };
    case "string":
      return { ...base, kind: "text" };
    case "image":
      return { ...base, kind: "image" };
  }
}

export function graphForm(name: string, graph: GraphEntry): GraphForm {
  const params = Object.entries(graph.inports)
    .filter(([port]) => !SECTION_INPORTS.includes(port))
    .map(([port, inport]) => fieldFor(port, inport.metadata));
  return { name, description: graph.description, takesInput: "input" in graph.inports, params };
}

/** "true" or "false" for any of the words the server accepts as a boolean. */
export function booleanText(text: string): string {
  return parseBooleanWord(text) ? "true" : "false";
}

/** The form text for a value that came from a URL (colours keep what the user wrote). */
export function fieldValueFrom(field: ParamField, raw: string): string {
  return field.kind === "boolean" ? booleanText(raw) : raw;
}

/** True when sending the value would change nothing: it is empty or the server's default. */
export function isDefaultValue(field: ParamField, value: string): boolean {
  if (value.trim() === "") return true;
  switch (field.kind) {
    case "number":
      return field.default !== "" && Number(value) === Number(field.default);
    case "color":
      return field.default !== "" && normaliseColor(value) === normaliseColor(field.default);
    case "boolean":
      return booleanText(value) === field.default;
    default:
      return value === field.default;
  }
}

/** A short hint for the field's label: its range and default. */
export function fieldHint(field: ParamField): string {
  const parts: string[] = [];
  if (field.kind === "number") {
    const { minimum, maximum } = field;
    if (minimum !== undefined && maximum !== undefined) parts.push(`${minimum} to ${maximum}`);
    else if (minimum !== undefined) parts.push(`≥ ${minimum}`);
    else if (maximum !== undefined) parts.push(`≤ ${maximum}`);
  }
  if (field.default !== "" && field.kind !== "boolean") parts.push(`default ${field.default}`);
  return parts.join(" · ");
}
