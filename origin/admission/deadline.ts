import type { Sharp } from "sharp";
import { errors, type ImgfloError } from "../../shared/errors.ts";

// sharp's timeout is whole seconds, at most an hour.
const SHARP_MAX_TIMEOUT_S = 3600;
const SHARP_TIMEOUT = /^timeout:/;

/**
 * A render's time budget (RENDER_TIMEOUT_MS, from the moment it gets its slot). Every step runs
 * under it: GEGL workers are killed at it, sharp pipelines stop at libvips' own timeout, and a
 * native step libvips cannot stop (AVIF and WebP compress the whole image in one call) is
 * answered for at the deadline while it finishes in the background, its slot still held.
 */
export class Deadline {
  private end: number;
  private readonly overrunning: Promise<unknown>[] = [];

  constructor(readonly limitMs: number) {
    this.end = performance.now() + limitMs;
  }

  /** Milliseconds left for the next step; the 504 once there are none. */
  left(): number {
    const left = this.end - performance.now();
    if (left <= 0) throw this.exceeded();
    return left;
  }

  /** Gives back time the server, not the request, took (waiting for a replacement worker). */
  extend(ms: number): void {
    this.end += ms;
  }

  /** The 504 for this deadline: it states the limit, whatever step was running. */
  exceeded(): ImgfloError {
    return errors.renderTimeout(this.limitMs / 1000);
  }

  /** Runs a sharp output step under the deadline (libvips' timeout, rounded up to whole seconds). */
  async sharp<T>(image: Sharp, output: (image: Sharp) => Promise<T>): Promise<T> {
    const left = this.left();
    const seconds = Math.min(SHARP_MAX_TIMEOUT_S, Math.ceil(left / 1000));
    const running = output(image.timeout({ seconds })).catch((error: Error) => {
      throw SHARP_TIMEOUT.test(error.message) ? this.exceeded() : error;
    });
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.overrunning.push(running.catch(() => {}));
        reject(this.exceeded());
      }, left);
    });
    try {
      return await Promise.race([running, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Settles once the steps answered for at the deadline have really stopped. */
  async stepsStopped(): Promise<void> {
    await Promise.all(this.overrunning);
  }
}
