/**
 * `<graph>.auto`: the request's `Accept` folded into one of three variants before anything else
 * looks at it, so that no header value can name a new cache object or cause a new render.
 *
 * - `avif`: lists image/avif and image/webp (every browser that shows AVIF lists both): AVIF,
 *   animated results as WebP.
 * - `webp`: lists image/webp: WebP, animated or not.
 * - `input`: anything else (wildcards only, no header, image/avif alone): the input's family.
 */
export const AUTO_VARIANTS = ["avif", "webp", "input"] as const;
export type AutoVariant = (typeof AUTO_VARIANTS)[number];

/** The media types an `Accept` header lists with a non-zero q, lower case, parameters dropped. */
export function acceptedTypes(accept: string | null | undefined): Set<string> {
  const types = new Set<string>();
  for (const range of (accept ?? "").split(",")) {
    const [type = "", ...parameters] = range.split(";").map((part) => part.trim().toLowerCase());
    const q = parameters.find((parameter) => /^q\s*=/.test(parameter));
    if (type === "" || (q !== undefined && !(Number(q.split("=")[1]) > 0))) continue;
    types.add(type);
  }
  return types;
}

export function autoVariantFor(accept: string | null | undefined): AutoVariant {
  const types = acceptedTypes(accept);
  if (types.has("image/webp")) return types.has("image/avif") ? "avif" : "webp";
  return "input";
}

/** The `Accept` the edge sends the origin for a variant: folding it again gives the same variant. */
export function acceptOf(variant: AutoVariant): string | null {
  switch (variant) {
    case "avif":
      return "image/avif,image/webp";
    case "webp":
      return "image/webp";
    case "input":
      return null;
  }
}

/** Does the header accept one of `types`, directly or by a wildcard? No header accepts all. */
export function acceptsAnyOf(accept: string | null | undefined, types: readonly string[]): boolean {
  if (accept === null || accept === undefined || accept.trim() === "") return true;
  const accepted = acceptedTypes(accept);
  return ["*/*", "image/*", ...types].some((type) => accepted.has(type));
}
