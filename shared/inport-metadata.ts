/** The types a graph parameter (an exported inport) may have. */
export const PARAM_TYPES = ["int", "number", "string", "color", "boolean", "enum"] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

/** What the catalogue says about a parameter: graph inports' metadata, the image options, width and height. */
export interface InportMetadata {
  type: ParamType;
  description: string;
  minimum?: number;
  maximum?: number;
  default?: string | number | boolean;
  values?: string[];
}
