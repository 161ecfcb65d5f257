import type { RenderStep, StepDurations } from "../shared/server-timing.ts";

/**
 * What one render did, for `Server-Timing`, the request log and the metrics: the time of each
 * step (one call per step in the pipeline), the input's size, the pixels decoded from it and from
 * the image inports' images, and the worker that ran the graph.
 */
export class RenderTrace {
  readonly steps: StepDurations = {};
  inputBytes: number | null = null;
  decodedPixels: number | null = null;
  decodedImagePixels: number | null = null;
  workerPid: number | null = null;

  /** Runs `work` as `step`; a step run twice adds up. */
  async time<T>(step: RenderStep, work: () => Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.add(step, performance.now() - start);
    }
  }

  /** Marks now; the returned function records the time since as `step` (waiting for a slot). */
  since(step: RenderStep): () => void {
    const start = performance.now();
    return () => this.add(step, performance.now() - start);
  }

  private add(step: RenderStep, ms: number): void {
    this.steps[step] = (this.steps[step] ?? 0) + ms;
  }
}
