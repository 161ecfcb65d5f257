/** The types of inports that set a process property. */
export const PARAM_TYPES = ["int", "number", "string", "color", "boolean", "enum"] as const;
export type ParamType = (typeof PARAM_TYPES)[number];
/** An inport of this type takes an image URL under the rules of `input` (contract §8). */
export const IMAGE_TYPE = "image";
export type InportType = ParamType | typeof IMAGE_TYPE;
/** Image inports a graph may have besides `input` (contract §8). */
export const MAX_IMAGE_INPORTS = 4;

/** What the catalogue says about an inport: graph inports' metadata, the image options, width and height. */
export interface InportMetadata {
  type: InportType;
  description: string;
  minimum?: number;
  maximum?: number;
  default?: string | number | boolean;
  values?: string[];
}
