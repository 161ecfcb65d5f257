export type UrlPartKind = "base" | "signature" | "graph" | "name" | "value" | "punctuation";

export interface UrlPart {
  text: string;
  kind: UrlPartKind;
}

const PROCESSING_URL = /^(.*?\/graph\/)((?:[^/?]+\/[^/?]+\/)?)([^/?]+)(\?.*)?$/;

/** Splits a processing URL into the parts the page colours: base, key/token, graph, query. */
export function urlParts(url: string): UrlPart[] {
  const match = PROCESSING_URL.exec(url);
  if (!match) return [{ text: url, kind: "base" }];
  const [, base = "", signature = "", graph = "", search = ""] = match;
  const parts: UrlPart[] = [{ text: base, kind: "base" }];
  if (signature) parts.push({ text: signature, kind: "signature" });
  parts.push({ text: graph, kind: "graph" });
  search
    .slice(1)
    .split("&")
    .filter(Boolean)
    .forEach((pair, index) => {
      const equals = pair.indexOf("=");
      parts.push({ text: index === 0 ? "?" : "&", kind: "punctuation" });
      if (equals < 0) {
        parts.push({ text: pair, kind: "name" });
        return;
      }
      parts.push(
        { text: pair.slice(0, equals), kind: "name" },
        { text: "=", kind: "punctuation" },
        { text: pair.slice(equals + 1), kind: "value" },
      );
    });
  return parts;
}
