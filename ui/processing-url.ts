import { buildProcessingUrl, type SigningConfig, type UrlParams } from "../shared/signed-url.ts";
import type { FormState } from "./form-state.ts";
import { type GraphForm, isDefaultValue } from "./param-fields.ts";

/** The query parameters a form state asks for: empty values and defaults are left out. */
export function requestParams(form: GraphForm, state: FormState): UrlParams {
  const params: UrlParams = {};
  const input = state.input.trim();
  if (form.takesInput && input !== "") params.input = input;
  for (const size of ["width", "height"] as const) {
    const value = state[size].trim();
    if (value !== "") params[size] = value;
  }
  for (const field of form.params) {
    const value = state.params[field.name] ?? "";
    if (!isDefaultValue(field, value)) params[field.name] = value.trim();
  }
  return params;
}

/**
 * The processing URL for the form, built (and signed when a key and secret are given) by the
 * same code as the CLI. "Same as input" sends no extension, so the server picks the format.
 */
export function processingUrl(signing: SigningConfig, form: GraphForm, state: FormState): string {
  return buildProcessingUrl(signing, form.name, requestParams(form, state), state.format);
}

/** Why the URL will not do what the form suggests, in words for the user; null when it will. */
export function processingNote(form: GraphForm, state: FormState): string | null {
  if (form.takesInput && state.input.trim() === "") {
    return "Choose an input image: this graph processes one.";
  }
  const images = form.params.filter((field) => field.kind === "image");
  const unset = images.find(
    (field) => field.default === "" && (state.params[field.name] ?? "").trim() === "",
  );
  if (unset) return `Choose an image for ${unset.name}: this graph takes one.`;
  const urls = [state.input, ...images.map((field) => state.params[field.name] ?? "")];
  if (urls.some((url) => /^(data|blob):/i.test(url.trim()))) {
    return "Images must be http(s) URLs or paths on this server, not data: or blob: URLs.";
  }
  if (form.takesInput && state.format === "gif" && form.name !== "noop") {
    return "GIF output goes through the noop graph, as the imgflo-url client does: the input is served untouched and the parameters are ignored.";
  }
  return null;
}
