/**
 * Inputs fetched in the last few seconds, by URL, so that repeated or chained requests on one
 * input (a page asking for several sizes of one image) download it once. Bounded in bytes; the
 * oldest entries go first. Only complete, successful downloads are kept.
 */
export interface InputCacheOptions {
  /** How long a download is reused; 0 turns the cache off. */
  ttlMs: number;
  maxBytes: number;
}

interface Entry {
  bytes: Buffer;
  expires: number;
}

export class InputCache {
  // A Map iterates in insertion order: the first entry is the oldest.
  private readonly entries = new Map<string, Entry>();
  private held = 0;

  constructor(private readonly options: InputCacheOptions) {}

  get enabled(): boolean {
    return this.options.ttlMs > 0;
  }

  get(url: URL): Buffer | null {
    const entry = this.entries.get(url.href);
    if (!entry) return null;
    if (entry.expires > performance.now()) return entry.bytes;
    this.remove(url.href, entry);
    return null;
  }

  set(url: URL, bytes: Buffer): void {
    if (!this.enabled || bytes.length > this.options.maxBytes) return;
    const previous = this.entries.get(url.href);
    if (previous) this.remove(url.href, previous);
    this.entries.set(url.href, { bytes, expires: performance.now() + this.options.ttlMs });
    this.held += bytes.length;
    for (const [key, entry] of this.entries) {
      if (this.held <= this.options.maxBytes) break;
      this.remove(key, entry);
    }
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.held -= entry.bytes.length;
  }
}
