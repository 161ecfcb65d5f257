import { normaliseColor } from "../shared/color.ts";

/** The `#rrggbb` a colour picker can show for a colour text (alpha dropped), or null. */
export function pickerColor(text: string): string | null {
  return normaliseColor(text)?.slice(0, 7) ?? null;
}

/** The colour text after the picker chose `picked`: the text's alpha, if any, is kept. */
export function withPickedColor(text: string, picked: string): string {
  const alpha = normaliseColor(text)?.slice(7) ?? "";
  return `${picked.toLowerCase()}${alpha}`;
}
