import { parseBooleanWord } from "./boolean-words.ts";
import { type CatalogueGraph, INPUT_PORT, MAX_DIMENSION, SIZE_PARAMETERS } from "./catalogue.ts";
import { normaliseColor } from "./color.ts";
import { errors } from "./errors.ts";
import {
  checkImageOptions,
  IMAGE_OPTION_PARAMETERS,
  type ImageOptionName,
  type ImageOptions,
} from "./image-options.ts";
import type { InportMetadata } from "./inport-metadata.ts";

/** A request's parameters after validation: every value canonical, defaults filled in. */
export interface ValidatedParams {
  /** The input URL as given (relative inputs are resolved when fetched); null for generators. */
  input: string | null;
  width: number | null;
  height: number | null;
  /** Geometry and output options, applied around the graph (dpr is already in width and height). */
  options: ImageOptions;
  /** Every graph parameter, as the canonical string the renderer receives. */
  values: Record<string, string>;
  /** Every image inport's URL as given, like `input` (contract §8). */
  images: Record<string, string>;
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const MAX_STRING_LENGTH = 4096;

function checkRange(name: string, value: number, metadata: InportMetadata): void {
  const { minimum, maximum } = metadata;
  if (minimum !== undefined && value < minimum) {
    throw errors.outOfRange(name, `must be at least ${minimum} (got ${value})`);
  }
  if (maximum !== undefined && value > maximum) {
    throw errors.outOfRange(name, `must be at most ${maximum} (got ${value})`);
  }
}

function coerceNumber(name: string, text: string, metadata: InportMetadata): string {
  const integer = metadata.type === "int";
  if (!(integer ? INTEGER : DECIMAL).test(text.trim())) {
    throw errors.invalidParameter(
      name,
      `must be ${integer ? "an integer" : "a number"} (got "${text}")`,
    );
  }
  const value = Number(text);
  // 1e309 matches DECIMAL but is Infinity, which no renderer takes and no canonical form re-reads.
  if (!Number.isFinite(value))
    throw errors.invalidParameter(name, `must be a finite number (got "${text}")`);
  checkRange(name, value, metadata);
  return String(value);
}

/** Coerces one value by its inport's metadata into the canonical string form. */
export function coerceValue(name: string, text: string, metadata: InportMetadata): string {
  switch (metadata.type) {
    case "int":
    case "number":
      return coerceNumber(name, text, metadata);
    case "boolean": {
      const value = parseBooleanWord(text);
      if (value !== null) return String(value);
      throw errors.invalidParameter(name, `must be true or false (got "${text}")`);
    }
    case "color": {
      const color = normaliseColor(text);
      if (!color) {
        throw errors.invalidParameter(
          name,
          `must be a colour such as #rgb, #rrggbb, #rrggbbaa, rgba(r, g, b, a) or an HTML name like white (got "${text}")`,
        );
      }
      return color;
    }
    case "enum": {
      const values = metadata.values ?? [];
      if (!values.includes(text)) {
        throw errors.invalidParameter(name, `must be one of ${values.join(", ")} (got "${text}")`);
      }
      return text;
    }
    case "string":
      if (text.length > MAX_STRING_LENGTH) {
        throw errors.invalidParameter(name, `must be at most ${MAX_STRING_LENGTH} characters long`);
      }
      return text;
    case "image":
      return validImageUrl(name, text);
  }
}

function isAcceptableInput(input: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(input)?.[1]?.toLowerCase();
  if (scheme) return (scheme === "http" || scheme === "https") && URL.canParse(input);
  return !input.startsWith("//") && input.length > 0;
}

/** An image URL (`input`, an image inport), checked: present, and an http(s) URL or a path on this server. */
export function validImageUrl(name: string, url: string | undefined): string {
  if (url === undefined || url === "") throw errors.missingParameter(name);
  if (url.length > MAX_STRING_LENGTH || !isAcceptableInput(url)) {
    throw errors.invalidParameter(name, "must be an http(s) URL or a path on this server");
  }
  return url;
}

/** The `input` parameter, checked. */
export function validInputUrl(input: string | undefined): string {
  return validImageUrl(INPUT_PORT, input);
}

function validInput(graph: CatalogueGraph, raw: Record<string, string>): string | null {
  return graph.input ? validInputUrl(raw[INPUT_PORT]) : null;
}

/** Every image inport's URL, or its default; one without either is a missing parameter. */
function validImages(graph: CatalogueGraph, raw: Record<string, string>): Record<string, string> {
  const images: Record<string, string> = {};
  for (const [name, { metadata }] of Object.entries(graph.images)) {
    const given = raw[name] || (metadata.default === undefined ? "" : String(metadata.default));
    images[name] = validImageUrl(name, given);
  }
  return images;
}

function validSize(raw: Record<string, string>, name: "width" | "height"): number | null {
  const text = raw[name];
  return text === undefined || text === ""
    ? null
    : Number(coerceNumber(name, text, SIZE_PARAMETERS[name]));
}

function givenImageOptions(raw: Record<string, string>): Partial<Record<ImageOptionName, string>> {
  const given: Partial<Record<ImageOptionName, string>> = {};
  for (const [name, metadata] of Object.entries(IMAGE_OPTION_PARAMETERS)) {
    const text = raw[name];
    if (text !== undefined && text !== "") {
      given[name as ImageOptionName] = coerceValue(name, text, metadata);
    }
  }
  return given;
}

/** Validates a request's raw parameters against the graph; unknown parameters are ignored. */
export function validateParams(
  graph: CatalogueGraph,
  raw: Record<string, string>,
): ValidatedParams {
  const values: Record<string, string> = {};
  for (const [name, parameter] of Object.entries(graph.parameters)) {
    const given = raw[name];
    if (given !== undefined && given !== "") {
      values[name] = coerceValue(name, given, parameter.metadata);
    } else if (parameter.metadata.default !== undefined) {
      values[name] = coerceValue(name, String(parameter.metadata.default), parameter.metadata);
    }
  }
  const input = validInput(graph, raw);
  const { options, size } = checkImageOptions(
    givenImageOptions(raw),
    { width: validSize(raw, "width"), height: validSize(raw, "height") },
    MAX_DIMENSION,
  );
  const images = validImages(graph, raw);
  return { input, width: size.width, height: size.height, options, values, images };
}

/** Every image URL a request names: its input (none for generators), then its image inports. */
export function imageUrlsOf(params: ValidatedParams): string[] {
  return [...(params.input === null ? [] : [params.input]), ...Object.values(params.images)];
}

/** Resolves a relative input (`files/x.png`, `/graph/...`) against the server's own base URL. */
export function resolveInputUrl(input: string, serverBase: string): URL {
  return new URL(input, serverBase.endsWith("/") ? serverBase : `${serverBase}/`);
}

/** An image URL as one text whatever its form (relative or absolute); as given when it does not resolve. */
export function resolvedInputText(input: string, serverBase: string): string {
  try {
    return resolveInputUrl(input, serverBase).href;
  } catch {
    return input;
  }
}
