import PQueue from "p-queue";
import { errors } from "../../shared/errors.ts";
import { Deadline } from "./deadline.ts";
import { MemoryBudget, type MemoryStats } from "./memory-budget.ts";
import { RetryAfter } from "./retry-after.ts";

export interface QueueOptions {
  /** Renders holding a slot at once. */
  concurrency: number;
  /** Renders that may wait for memory and a slot (fetching an input is not waiting here). */
  maxQueue: number;
  /** Bytes the renders holding memory may take together, by their estimates. */
  memoryBudget: number;
  /** Each render's deadline, from the moment it gets its slot. */
  renderTimeoutMs: number;
}

/**
 * Runs `work` under its deadline once `memoryBytes` (its estimated peak) fit the budget and a
 * render slot is free; both are held until it settles and any step past the deadline has stopped.
 */
export type WithSlot = <T>(
  memoryBytes: number,
  work: (deadline: Deadline) => Promise<T>,
) => Promise<T>;

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
  memory: MemoryStats;
  counters: QueueCounters;
}

/**
 * Admission, sharing and concurrency for renders: identical requests (same cache key) in flight
 * share one job; a job fetches without a slot (so chained requests cannot deadlock, and slow
 * inputs hold no render resources) and renders inside one, once its memory is admitted; when
 * `maxQueue` renders already wait for memory or a slot, new ones are refused with a 503.
 */
export class RenderQueue<R> {
  private readonly slots: PQueue;
  private readonly memory: MemoryBudget;
  private readonly inFlight = new Map<string, Promise<R>>();
  private waiting = 0;
  private readonly retryAfter = new RetryAfter();
  private readonly counters: QueueCounters = {
    started: 0,
    deduplicated: 0,
    completed: 0,
    failed: 0,
    rejected: 0,
  };

  constructor(private readonly options: QueueOptions) {
    this.slots = new PQueue({ concurrency: options.concurrency });
    this.memory = new MemoryBudget(options.memoryBudget);
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
    if (this.full()) return Promise.reject(this.refuse());
    this.counters.started++;
    const result = this.execute(job).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, result);
    return result;
  }

  /** The one render holding a slot is the only render admitted or waiting. */
  alone(): boolean {
    return this.slots.pending <= 1 && this.waiting === 0;
  }

  stats(): QueueStats {
    return {
      waiting: this.waiting,
      rendering: this.slots.pending,
      inFlight: this.inFlight.size,
      concurrency: this.options.concurrency,
      maxQueue: this.options.maxQueue,
      memory: this.memory.stats(),
      counters: { ...this.counters },
    };
  }

  private async execute(job: (withSlot: WithSlot) => Promise<R>): Promise<R> {
    try {
      const result = await job(this.withSlot);
      this.counters.completed++;
      return result;
    } catch (error) {
      this.counters.failed++;
      throw error;
    }
  }

  private readonly withSlot: WithSlot = async (memoryBytes, work) => {
    // Checked again here: the queue may have filled while the input was fetched.
    if (this.full()) throw this.refuse();
    this.waiting++;
    let waiting = true;
    const stopWaiting = () => {
      if (waiting) this.waiting--;
      waiting = false;
    };
    const release = await this.memory.admit(memoryBytes);
    return new Promise((resolve, reject) => {
      // The caller gets its answer when `work` settles; the slot waits for overrunning steps.
      this.slots
        .add(async () => {
          stopWaiting();
          const start = performance.now();
          const deadline = new Deadline(this.options.renderTimeoutMs);
          try {
            resolve(await work(deadline));
          } catch (error) {
            reject(error);
          } finally {
            await deadline.stepsStopped();
            this.retryAfter.record(performance.now() - start);
          }
        })
        .finally(() => {
          stopWaiting();
          release();
        });
    });
  };

  private full(): boolean {
    return this.waiting >= this.options.maxQueue;
  }

  private refuse(): Error {
    this.counters.rejected++;
    return errors.overloaded(this.retryAfter.seconds(this.waiting, this.options.concurrency));
  }
}
