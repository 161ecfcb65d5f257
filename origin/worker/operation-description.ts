/** What the worker's `describe` command says about one operation. */
export interface OperationDescription {
  exists: boolean;
  input_pads?: string[];
  output_pads?: string[];
  /** A point filter keeping GEGL's extent and region rules (gegl-worker/describe.c). */
  point_filter?: boolean;
  properties?: Record<string, PropertyDescription>;
}

export interface PropertyDescription {
  type: "double" | "int" | "boolean" | "color" | "enum" | "string" | "other";
  minimum?: number;
  maximum?: number;
  values?: string[];
  /** For `other`: the GLib type of its values (`gchararray` for file paths and URIs). */
  value_type?: string;
}

export type OperationDescriptions = Record<string, OperationDescription>;
