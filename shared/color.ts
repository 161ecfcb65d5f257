/** Parses the colour forms users send and normalises them to `#rrggbb` or `#rrggbbaa`. */
const HEX = /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const FUNCTIONAL = /^rgba?\(\s*([^)]*)\)$/i;
/** The colour names GEGL knows (HTML 4's sixteen, and two for nothing at all). */
const NAMED = new Map([
  ["black", "#000000"],
  ["silver", "#c0c0c0"],
  ["gray", "#808080"],
  ["white", "#ffffff"],
  ["maroon", "#800000"],
  ["red", "#ff0000"],
  ["purple", "#800080"],
  ["fuchsia", "#ff00ff"],
  ["green", "#008000"],
  ["lime", "#00ff00"],
  ["olive", "#808000"],
  ["yellow", "#ffff00"],
  ["navy", "#000080"],
  ["blue", "#0000ff"],
  ["teal", "#008080"],
  ["aqua", "#00ffff"],
  ["transparent", "#00000000"],
  ["none", "#00000000"],
]);

function hexByte(value: number): string {
  return Math.round(value).toString(16).padStart(2, "0");
}

function fromHex(digits: string): string {
  const full = digits.length <= 4 ? [...digits].map((d) => d + d).join("") : digits;
  const lower = full.toLowerCase();
  return lower.length === 8 && lower.endsWith("ff") ? `#${lower.slice(0, 6)}` : `#${lower}`;
}

function channel(text: string): number | null {
  const value = text.endsWith("%") ? (Number(text.slice(0, -1)) * 255) / 100 : Number(text);
  return text !== "" && Number.isFinite(value) && value >= 0 && value <= 255 ? value : null;
}

function alpha(text: string): number | null {
  const value = text.endsWith("%") ? Number(text.slice(0, -1)) / 100 : Number(text);
  return text !== "" && Number.isFinite(value) && value >= 0 && value <= 1 ? value * 255 : null;
}

function fromFunctional(body: string): string | null {
  const parts = body.split(/\s*[,/]\s*|\s+/).filter((part) => part !== "");
  if (parts.length !== 3 && parts.length !== 4) return null;
  const rgb = parts.slice(0, 3).map(channel);
  const a = parts.length === 4 ? alpha(parts[3] as string) : 255;
  if (rgb.some((value) => value === null) || a === null) return null;
  return fromHex([...(rgb as number[]), a].map(hexByte).join(""));
}

/** Returns the normalised colour, or null when the text is not a colour. */
export function normaliseColor(text: string): string | null {
  const trimmed = text.trim();
  const named = NAMED.get(trimmed.toLowerCase());
  if (named) return named;
  const hex = HEX.exec(trimmed);
  if (hex) return fromHex(hex[1] as string);
  const functional = FUNCTIONAL.exec(trimmed);
  return functional ? fromFunctional(functional[1] as string) : null;
}

/** A normalised colour without an alpha part (`#rrggbb`) is opaque. */
export function isOpaqueColor(normalised: string): boolean {
  return normalised.length === 7;
}
