import type { OperationDescription } from "../worker/operation-description.ts";

/**
 * Operations that read whatever a property names, whatever their pads look like: GEGL's graph
 * language (which can `load` any path), buffers opened from disk, HDR exposures, layers.
 */
const READS_NAMED_FILES = new Set([
  "gegl:gegl",
  "gegl:open-buffer",
  "gegl:exp-combine",
  "gegl:layer",
]);

/** A file path or URI property: the worker describes it as `other` with a string value. */
function fileProperty(description: OperationDescription): string | null {
  for (const [name, property] of Object.entries(description.properties ?? {})) {
    if (property.type === "other" && property.value_type === "gchararray") return name;
  }
  return null;
}

/**
 * Why a graph may not use an operation, or null when it may. A graph is untrusted input (anyone
 * holding the admin token publishes one): it works on the images the origin gives it and nothing
 * else, so operations that read or write files, devices, windows or the network are refused.
 * The input image is the origin's to fetch (its address guard, its limits), never GEGL's.
 */
export function refusalOf(operation: string, description: OperationDescription): string | null {
  if (READS_NAMED_FILES.has(operation)) return "reads files named by its properties";
  if ((description.output_pads ?? []).length === 0) {
    return "has no output pad: it writes outside the image (a file, a window, a device)";
  }
  const file = fileProperty(description);
  if (file && (description.input_pads ?? []).length === 0) {
    return `loads from a file, device or URL (its property "${file}")`;
  }
  return null;
}
