import sharp, { type Sharp } from "sharp";
import type { Size } from "./output-size.ts";

/** An input's decoded pixels, as sharp's raw input describes them. */
export interface DecodedPixels {
  data: Buffer;
  raw: Size & { channels: 1 | 2 | 3 | 4 };
}

/** What the kept pixels may hold at most: eleven W2-sized (1.44 MP RGB) inputs. */
export const DECODED_INPUTS_MAX_BYTES = 64 * 1024 * 1024;

export interface DecodedInputsOptions {
  /** How long an input's pixels are kept after it was last decoded (the input cache's TTL). */
  ttlMs: number;
  maxBytes: number;
}

interface Entry {
  pixels: Promise<DecodedPixels>;
  bytes: number;
  expires: number;
}

/**
 * Inputs decoded in the last few seconds, by the fetched bytes (the input cache hands repeated
 * requests the same Buffer), so that renders of one input at several sizes or settings decode
 * it once: decoding is most of a PNG render's origin CPU (bench/cpu.ts W2: 24 of 60 ms, 3 ms
 * from kept pixels). Only inputs that every decode reads whole and as they are (pipeline.ts asks
 * `keepable`): resizing their kept pixels gives the same pixels as decoding them again, which
 * formats that shrink while decoding (JPEG, WebP) would not. Bounded in bytes, the least
 * recently used out first.
 */
export class DecodedInputs {
  // A Map iterates in insertion order: the first entry is the oldest.
  private readonly entries = new Map<Buffer, Entry>();
  private held = 0;

  constructor(private readonly options: DecodedInputsOptions) {}

  /** The input's pixels: kept ones, or `decode`'s, kept if they fit. */
  pixels(
    input: Buffer,
    bytes: number,
    decode: () => Promise<DecodedPixels>,
  ): Promise<DecodedPixels> {
    const now = performance.now();
    for (const [key, entry] of this.entries) {
      if (entry.expires > now) break;
      this.remove(key, entry);
    }
    const kept = this.entries.get(input);
    if (kept) {
      this.remove(input, kept);
      this.add(input, { ...kept, expires: now + this.options.ttlMs });
      return kept.pixels;
    }
    const pixels = decode();
    if (bytes > this.options.maxBytes) return pixels;
    const entry = { pixels, bytes, expires: now + this.options.ttlMs };
    this.add(input, entry);
    // A failed decode is not kept: the next request tries again (and fails the same way).
    pixels.catch(() => this.entries.get(input) === entry && this.remove(input, entry));
    for (const [key, old] of this.entries) {
      if (this.held <= this.options.maxBytes) break;
      this.remove(key, old);
    }
    return pixels;
  }

  private add(key: Buffer, entry: Entry): void {
    this.entries.set(key, entry);
    this.held += entry.bytes;
  }

  private remove(key: Buffer, entry: Entry): void {
    this.entries.delete(key);
    this.held -= entry.bytes;
  }
}

/** Kept pixels as a sharp input. */
export function fromDecoded({ data, raw }: DecodedPixels): Sharp {
  return sharp(data, { raw });
}
