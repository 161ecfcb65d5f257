import type { Sharp } from "sharp";
import { errors, type ImgfloError } from "../../shared/errors.ts";

// sharp's timeout is whole seconds, at most an hour.
const SHARP_MAX_TIMEOUT_S = 3600;
const SHARP_TIMEOUT = /^timeout:/;

/**
 * A time budget (RENDER_TIMEOUT_MS for a render, from the moment it gets its slot). Every step
 * runs under it: GEGL workers are killed at it, sharp pipelines stop at libvips' own timeout.
 */
export class Deadline {
  private readonly end: number;

  constructor(readonly limitMs: number) {
    this.end = performance.now() + limitMs;
  }

  /** Milliseconds left for the next step; the 504 once there are none. */
  left(): number {
    const left = this.end - performance.now();
    if (left <= 0) throw this.exceeded();
    return left;
  }

  /** The 504 for this deadline: it states the limit, whatever step was running. */
  exceeded(): ImgfloError {
    return errors.renderTimeout(this.limitMs / 1000);
  }

  /**
   * Runs a sharp output step with libvips' timeout set to the time left (rounded up to whole
   * seconds, so a step may overrun by under a second), and checks the deadline again after it.
   */
  async sharp<T>(image: Sharp, output: (image: Sharp) => Promise<T>): Promise<T> {
    const seconds = Math.min(SHARP_MAX_TIMEOUT_S, Math.ceil(this.left() / 1000));
    let result: T;
    try {
      result = await output(image.timeout({ seconds }));
    } catch (error) {
      if (SHARP_TIMEOUT.test((error as Error).message)) throw this.exceeded();
      throw error;
    }
    this.left();
    return result;
  }
}
