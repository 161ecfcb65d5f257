/** The result of fetching a processing URL, ready to show. */
export type RenderOutcome =
  | {
      kind: "image";
      status: number;
      /** The server answered with a redirect (to the cached image at `location`). */
      redirected: boolean;
      location: string;
      contentType: string;
      bytes: number;
      blob: Blob;
      ms: number;
      /** The render's steps (`Server-Timing`), as the origin timed them; null when not sent. */
      serverTiming: string | null;
    }
  | { kind: "failure"; status: number; failure: Failure; ms: number }
  /** The fetch itself failed: the server is down, or the cached image is on another origin. */
  | { kind: "unreachable"; reason: string; ms: number };

export interface Failure {
  /** What went wrong in plain words, from the status. */
  headline: string;
  /** The server's own sentence. */
  message: string;
  code: string | null;
}

const HEADLINES: Record<number, string> = {
  400: "The URL or one of its parameter values is malformed.",
  401: "The server refused the request's credentials.",
  403: "Not allowed: check the key and secret, or the application's state and quota.",
  404: "There is no such graph, or nothing at that address.",
  405: "The server does not accept that method here.",
  413: "The input image is larger than the server accepts.",
  415: "The input is not an image type the server can read.",
  422: "A size or a value is beyond what the server allows.",
  500: "Rendering failed on the server.",
  502: "The render origin failed or could not be reached.",
  503: "The server is busy: try again in a moment.",
  504: "The input URL could not be fetched in time, or it answered with an error.",
};

function headlineFor(status: number): string {
  const known = HEADLINES[status];
  if (known) return known;
  return status >= 500 ? "The server failed." : "The server refused the request.";
}

/** Reads the contract's JSON error body `{ error, code }`; anything else is shown as text. */
export function explainFailure(status: number, body: string): Failure {
  const headline = headlineFor(status);
  try {
    const parsed = JSON.parse(body) as { error?: unknown; code?: unknown };
    if (typeof parsed.error === "string") {
      return {
        headline,
        message: parsed.error,
        code: typeof parsed.code === "string" ? parsed.code : null,
      };
    }
  } catch {
    // Not JSON: a proxy's or a crashed server's page; show its text.
  }
  const text = body
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return { headline, message: text.slice(0, 300) || "The server sent no explanation.", code: null };
}

/** GETs a processing URL and follows the redirect to the image, timing the whole exchange. */
export async function fetchRender(url: string, signal: AbortSignal): Promise<RenderOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let response: Response;
  try {
    response = await fetch(url, { signal, cache: "no-store" });
  } catch (error) {
    if (signal.aborted) throw error;
    return { kind: "unreachable", reason: (error as Error).message, ms: elapsed() };
  }
  const contentType = response.headers.get("content-type") ?? "";
  if (!response.ok || !contentType.startsWith("image/")) {
    const failure = explainFailure(response.status, await response.text());
    if (response.ok)
      failure.headline = `Expected an image but got ${contentType || "no content type"}.`;
    return { kind: "failure", status: response.status, failure, ms: elapsed() };
  }
  const blob = await response.blob();
  return {
    kind: "image",
    status: response.status,
    redirected: response.redirected,
    location: response.url,
    contentType,
    bytes: blob.size,
    blob,
    ms: elapsed(),
    serverTiming: response.headers.get("server-timing"),
  };
}
