import { AUTO, extensionOf, OUTPUT_FORMATS } from "../shared/formats.ts";

/** Everything the form holds, as text, independent of the DOM. */
export interface FormState {
  input: string;
  /** An output extension, or "" for the input's own format. */
  format: string;
  width: string;
  height: string;
  /** The graph's parameters by inport name. */
  params: Record<string, string>;
}

/** The extensions the output format select offers, after "same as input". */
export const FORMAT_CHOICES: readonly string[] = [...OUTPUT_FORMATS.map(extensionOf), AUTO];

/** The select's value for an extension from a URL: `jpeg` is `jpg`; unknown means "same as input". */
export function formatChoice(extension: string): string {
  const lower = extension.trim().toLowerCase();
  const choice = lower === "jpeg" ? "jpg" : lower;
  return FORMAT_CHOICES.includes(choice) ? choice : "";
}
