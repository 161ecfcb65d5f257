import type { Preview } from "./editor-state.ts";

/** Why a preview failed, from the runtime's JSON error. */
async function previewError(url: string): Promise<string> {
  try {
    const body = (await (await fetch(url)).json()) as { error?: string };
    return body.error ?? "The preview failed.";
  } catch {
    return "The preview could not be loaded.";
  }
}

interface PreviewSectionProps {
  preview: Preview | null;
  /** The open graph's processing URL; null without a graph. */
  processingUrl: string | null;
  onLoaded: (url: string) => void;
  onFailed: (url: string, error: string) => void;
}

/** The runtime's live preview of the graph and the processing URL that renders the same. */
export function PreviewSection({
  preview,
  processingUrl,
  onLoaded,
  onFailed,
}: PreviewSectionProps) {
  return (
    <section className="editor-section" aria-label="Preview">
      <h2>Preview</h2>
      <div className="preview-stage">
        {preview && (
          <img
            id="preview"
            alt="Live preview"
            src={preview.url}
            data-state={preview.state}
            onLoad={() => onLoaded(preview.url)}
            onError={async () => onFailed(preview.url, await previewError(preview.url))}
          />
        )}
      </div>
      {preview?.error && (
        <p id="preview-error" className="note">
          {preview.error}
        </p>
      )}
      {processingUrl !== null && (
        <>
          <label className="label" htmlFor="processing-url">
            Processing URL
          </label>
          <output id="processing-url" className="processing-url">
            {processingUrl}
          </output>
        </>
      )}
    </section>
  );
}
