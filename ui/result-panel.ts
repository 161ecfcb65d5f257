import { byId } from "./create-element.ts";
import type { Failure, RenderOutcome } from "./render-outcome.ts";
import { showTimingBar, timedSteps } from "./timing-bar.ts";

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

/** The path of the cached image when it is on this server (shorter to read), else its URL. */
function shortLocation(location: string): string {
  const url = new URL(location);
  return url.origin === window.location.origin ? `${url.pathname}${url.search}` : location;
}

type StatusTone = "idle" | "pending" | "ok" | "error";

/** The right-hand column: status, time taken, the processed image or the error in plain words. */
export class ResultPanel {
  private readonly status = byId<HTMLElement>("result-status");
  private readonly time = byId<HTMLElement>("result-time");
  private readonly meta = byId<HTMLElement>("result-meta");
  private readonly stage = byId<HTMLElement>("result-stage");
  private readonly image = byId<HTMLImageElement>("result-image");
  private readonly cached = byId<HTMLAnchorElement>("result-location");
  private readonly timing = byId<HTMLElement>("result-timing");
  private objectUrl: string | null = null;
  private ticker: number | undefined;

  pending(): void {
    this.setStatus("pending", "Rendering…");
    const started = performance.now();
    window.clearInterval(this.ticker);
    this.ticker = window.setInterval(() => {
      this.time.textContent = formatDuration(performance.now() - started);
    }, 100);
    this.time.textContent = "";
    this.timing.hidden = true;
    this.stage.dataset.busy = "true";
  }

  show(outcome: RenderOutcome, url: string): void {
    window.clearInterval(this.ticker);
    delete this.stage.dataset.busy;
    this.time.textContent = formatDuration(outcome.ms);
    this.meta.textContent = "";
    this.cached.hidden = true;
    showTimingBar(this.timing, outcome.kind === "image" ? timedSteps(outcome.serverTiming) : []);
    if (outcome.kind === "failure") {
      this.setStatus("error", `${outcome.status} ${outcome.failure.code ?? "error"}`);
      this.showFailure(outcome.failure);
    } else if (outcome.kind === "image") {
      this.setStatus("ok", `${outcome.status} OK`);
      const details = [
        outcome.contentType.replace(/^image\//, "").toUpperCase(),
        formatBytes(outcome.bytes),
      ];
      this.showImage(URL.createObjectURL(outcome.blob), details);
      if (outcome.redirected) {
        this.cached.href = outcome.location;
        this.cached.textContent = shortLocation(outcome.location);
        this.cached.hidden = false;
      }
    } else {
      // The status is unreadable when the cached image lives on another origin: let <img> follow.
      this.setStatus("pending", "Loading…");
      this.showImage(url, ["status not readable from this page"]);
    }
  }

  private setStatus(tone: StatusTone, text: string): void {
    this.status.dataset.tone = tone;
    this.status.textContent = text;
  }

  private showImage(src: string, details: string[]): void {
    this.releaseObjectUrl();
    if (src.startsWith("blob:")) this.objectUrl = src;
    this.image.onload = () => {
      const size = `${this.image.naturalWidth} × ${this.image.naturalHeight}`;
      this.meta.textContent = [size, ...details].join(" · ");
      if (this.status.dataset.tone === "pending") this.setStatus("ok", "Loaded");
      this.stage.dataset.state = "image";
    };
    this.image.onerror = () => {
      this.showFailure({
        headline: "The server could not be reached, or it did not answer with an image.",
        message: "Open the URL in a new tab to see what it returns.",
        code: null,
      });
      this.setStatus("error", "Failed");
    };
    this.image.src = src;
  }

  private showFailure(failure: Failure): void {
    this.releaseObjectUrl();
    this.image.removeAttribute("src");
    byId("error-headline").textContent = failure.headline;
    byId("error-message").textContent = failure.message;
    this.stage.dataset.state = "error";
  }

  private releaseObjectUrl(): void {
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = null;
  }
}
