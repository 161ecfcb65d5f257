import PQueue from "p-queue";
import { errors } from "../../shared/errors.ts";

export interface QueueOptions {
  /** Renders holding a slot at once. */
  concurrency: number;
  /** Admitted requests that may wait (fetching their input or queued for a slot). */
  maxQueue: number;
}

/** Runs `work` once a render slot is free; the slot is held until it settles. */
export type WithSlot = <T>(work: () => Promise<T>) => Promise<T>;

export interface QueueCounters {
  /** Renders admitted and run (each one fetch and at most one GEGL render). */
  started: number;
  /** Requests that shared a render already in flight for the same cache key. */
  deduplicated: number;
  completed: number;
  failed: number;
  /** Requests turned away with 503 because the queue was full. */
  rejected: number;
}

export interface QueueStats {
  waiting: number;
  rendering: number;
  inFlight: number;
  concurrency: number;
  maxQueue: number;
  counters: QueueCounters;
}

const MAX_RETRY_AFTER_SECONDS = 60;
// Smoothing of the average slot time used for Retry-After.
const AVERAGE_WEIGHT = 0.2;

/**
 * Admission, sharing and concurrency for renders: identical requests (same cache key) in flight
 * share one job; a job fetches without a slot (so chained requests cannot deadlock) and renders
 * inside one; when `maxQueue` jobs already wait, new ones are refused with a 503.
 */
export class RenderQueue<R> {
  private readonly slots: PQueue;
  private readonly inFlight = new Map<string, Promise<R>>();
  private waiting = 0;
  private averageSlotMs = 1000;
  private readonly counters: QueueCounters = {
    started: 0,
    deduplicated: 0,
    completed: 0,
    failed: 0,
    rejected: 0,
  };

  constructor(private readonly options: QueueOptions) {
    this.slots = new PQueue({ concurrency: options.concurrency });
  }

  /** Whether a job for `key` is in flight, so that a new request for it would share it. */
  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  run(key: string, job: (withSlot: WithSlot) => Promise<R>): Promise<R> {
    const shared = this.inFlight.get(key);
    if (shared) {
      this.counters.deduplicated++;
      return shared;
    }
    if (this.waiting >= this.options.maxQueue) {
      this.counters.rejected++;
      return Promise.reject(errors.overloaded(this.retryAfterSeconds()));
    }
    this.counters.started++;
    const result = this.execute(job).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, result);
    return result;
  }

  stats(): QueueStats {
    return {
      waiting: this.waiting,
      rendering: this.slots.pending,
      inFlight: this.inFlight.size,
      concurrency: this.options.concurrency,
      maxQueue: this.options.maxQueue,
      counters: { ...this.counters },
    };
  }

  private async execute(job: (withSlot: WithSlot) => Promise<R>): Promise<R> {
    this.waiting++;
    let waiting = true;
    const stopWaiting = () => {
      if (waiting) this.waiting--;
      waiting = false;
    };
    const withSlot: WithSlot = (work) =>
      this.slots.add(async () => {
        stopWaiting();
        const start = performance.now();
        try {
          return await work();
        } finally {
          const elapsed = performance.now() - start;
          this.averageSlotMs += AVERAGE_WEIGHT * (elapsed - this.averageSlotMs);
        }
      });
    try {
      const result = await job(withSlot);
      this.counters.completed++;
      return result;
    } catch (error) {
      this.counters.failed++;
      throw error;
    } finally {
      stopWaiting();
    }
  }

  /** About how long until the queue has room again. */
  private retryAfterSeconds(): number {
    const seconds = (this.waiting * this.averageSlotMs) / this.options.concurrency / 1000;
    return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(1, Math.ceil(seconds)));
  }
}
