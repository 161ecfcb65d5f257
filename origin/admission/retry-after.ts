const MAX_RETRY_AFTER_SECONDS = 60;
// Smoothing of the average time a slot is held.
const AVERAGE_WEIGHT = 0.2;

/** Retry-After for a full queue: about how long until the requests ahead have had their turn. */
export class RetryAfter {
  private averageMs = 1000;

  /** Records how long one slot was held. */
  record(ms: number): void {
    this.averageMs += AVERAGE_WEIGHT * (ms - this.averageMs);
  }

  seconds(ahead: number, slots: number): number {
    const seconds = (ahead * this.averageMs) / slots / 1000;
    return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
  }
}
