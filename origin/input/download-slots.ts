import { errors } from "../../shared/errors.ts";
import { RetryAfter } from "../admission/retry-after.ts";

export interface DownloadLimits {
  /** Downloads in progress at once, all hosts together; as many more may wait. */
  total: number;
  /** Downloads in progress at once from one host; as many more from it may wait. */
  perHost: number;
}

export interface DownloadStats {
  active: number;
  waiting: number;
  /** Downloads turned away with 503 because their host's or the whole pool's queue was full. */
  rejected: number;
}

interface Waiter {
  host: string;
  /** Takes the waiter out of the queue's hands: it may start now. */
  start: () => void;
}

/**
 * The input downloads' own bounded pool, apart from render slots: a host that never answers
 * holds at most `perHost` downloads (and as many waiting), so it cannot starve other hosts,
 * and renders that fetch nothing never wait for downloads at all.
 */
export class DownloadSlots {
  private active = 0;
  private readonly activeByHost = new Map<string, number>();
  private readonly waiting: Waiter[] = [];
  private rejected = 0;
  private readonly retryAfter = new RetryAfter();

  constructor(private readonly limits: DownloadLimits) {}

  /** Runs `download` once `host` and the pool have room; 503 when even the queue is full. */
  async run<T>(host: string, signal: AbortSignal, download: () => Promise<T>): Promise<T> {
    if (this.startsNow(host)) this.take(host);
    else await this.wait(host, signal);
    const started = performance.now();
    try {
      return await download();
    } finally {
      this.retryAfter.record(performance.now() - started);
      this.active--;
      const left = (this.activeByHost.get(host) ?? 1) - 1;
      if (left === 0) this.activeByHost.delete(host);
      else this.activeByHost.set(host, left);
      this.startWaiters();
    }
  }

  stats(): DownloadStats {
    return { active: this.active, waiting: this.waiting.length, rejected: this.rejected };
  }

  private startsNow(host: string): boolean {
    return (
      this.active < this.limits.total && (this.activeByHost.get(host) ?? 0) < this.limits.perHost
    );
  }

  private take(host: string): void {
    this.active++;
    this.activeByHost.set(host, (this.activeByHost.get(host) ?? 0) + 1);
  }

  /** Queues the download (its slot is taken for it when it starts), or refuses it with a 503. */
  private wait(host: string, signal: AbortSignal): Promise<void> {
    const fromHost = this.waiting.filter((waiter) => waiter.host === host).length;
    const hostFull = fromHost >= this.limits.perHost;
    if (hostFull || this.waiting.length >= this.limits.total) {
      this.rejected++;
      const retryAfter = hostFull
        ? this.retryAfter.seconds(fromHost, this.limits.perHost)
        : this.retryAfter.seconds(this.waiting.length, this.limits.total);
      return Promise.reject(errors.downloadsBusy(retryAfter));
    }
    return new Promise((resolve, reject) => {
      // The download's deadline runs while it waits: its fetch answers the 504.
      const abort = () => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        host,
        start: () => {
          signal.removeEventListener("abort", abort);
          resolve();
        },
      };
      this.waiting.push(waiter);
      signal.addEventListener("abort", abort, { once: true });
    });
  }

  /** First come, first served among the waiters whose host has room. */
  private startWaiters(): void {
    for (let i = 0; i < this.waiting.length && this.active < this.limits.total; ) {
      const waiter = this.waiting[i] as Waiter;
      if (!this.startsNow(waiter.host)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.take(waiter.host);
      waiter.start();
    }
  }
}
