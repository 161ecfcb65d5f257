/**
 * Peak memory of a GEGL render (worker and Node together) per pixel rendered, measured on the
 * catalogue at 11 Mpx: halodarken, the most demanding graph, takes 85 MB/Mpx in the worker and
 * 13 MB/Mpx in Node (decode, wire copy, encode); gaussianblur 43 + 13, desaturate 19 + 12.
 */
export const GEGL_RENDER_BYTES_PER_PIXEL = 100;
/** A sharp-only transcode streams: at most 7 MB/Mpx measured (frames counted), 2 for a PNG. */
export const TRANSCODE_BYTES_PER_PIXEL = 10;
/** An input decoded whole into memory, per input pixel: 3.5 MB/Mpx measured (36 Mpx JPEG). */
export const DECODED_BYTES_PER_PIXEL = 4;
/**
 * An image inport's image, per pixel of it: decoded RGBA in Node (4 bytes) and in the worker,
 * widened to 16 bits (8), and the float premultiplied pixels GEGL samples it from (16).
 */
export const IMAGE_BYTES_PER_PIXEL = 28;

export interface MemoryStats {
  budget: number;
  /** Bytes the running renders were admitted with. */
  admitted: number;
  /** Renders waiting for their share. */
  waiting: number;
}

interface Waiter {
  bytes: number;
  admit: () => void;
}

/**
 * Admits renders against a memory budget by their estimated peak, first come first served, so
 * that two large renders run one after the other instead of exhausting the container together.
 * A render larger than the whole budget runs alone.
 */
export class MemoryBudget {
  private admitted = 0;
  private readonly waiting: Waiter[] = [];

  constructor(private readonly budget: number) {}

  /** Resolves once `bytes` fit; the returned function gives them back. */
  async admit(bytes: number): Promise<() => void> {
    if (this.waiting.length > 0 || !this.fits(bytes)) {
      await new Promise<void>((admit) => this.waiting.push({ bytes, admit }));
    } else {
      this.admitted += bytes;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.admitted -= bytes;
      this.admitWaiters();
    };
  }

  stats(): MemoryStats {
    return { budget: this.budget, admitted: this.admitted, waiting: this.waiting.length };
  }

  private fits(bytes: number): boolean {
    return this.admitted === 0 || this.admitted + bytes <= this.budget;
  }

  private admitWaiters(): void {
    for (let next = this.waiting[0]; next && this.fits(next.bytes); next = this.waiting[0]) {
      this.waiting.shift();
      this.admitted += next.bytes;
      next.admit();
    }
  }
}
