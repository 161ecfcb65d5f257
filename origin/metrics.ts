import {
  Counter,
  collectDefaultMetrics,
  exponentialBuckets,
  Gauge,
  Histogram,
  Registry,
} from "prom-client";
import type { ImgfloError } from "../shared/errors.ts";
import { RENDER_STEPS } from "../shared/server-timing.ts";
import type { RenderQueue } from "./admission/render-queue.ts";
import type { RenderedImage } from "./pipeline.ts";
import { rssBytes } from "./process-memory.ts";
import type { RenderTrace } from "./render-trace.ts";
import type { GeglPool } from "./worker/gegl-pool.ts";

/**
 * Labels of one processing request. Values are bounded: graph names from the catalogue, formats
 * from the formats table, `NO_LABEL` before the request was parsed that far; never URLs.
 */
export interface RenderLabels {
  graph: string;
  format: string;
}

export const NO_LABEL = "none";

const SECONDS_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];
// 1 KiB .. 256 MiB, by factors of 4.
const BYTES_BUCKETS = exponentialBuckets(1024, 4, 10);

/** The fetch failure an error stands for, as a bounded label value; null when it is none. */
function fetchFailureCause(error: ImgfloError): string | null {
  switch (error.code) {
    case "input-too-large":
      return "too-large";
    case "input-forbidden":
      return "forbidden";
    case "input-unreachable":
      return String(error.details.cause);
    default:
      return null;
  }
}

/**
 * The origin's Prometheus metrics (GET /metrics): renders by graph, format and outcome, step and
 * render durations, input and output sizes, fetch failures by cause, and, read at scrape time,
 * the queue, the GEGL workers and process memory.
 */
export class OriginMetrics {
  readonly registry = new Registry();
  /** Traces already observed: requests sharing one render in flight count its steps once. */
  private readonly observed = new WeakSet<RenderTrace>();
  private readonly renders: Counter<"graph" | "format" | "outcome">;
  private readonly stepSeconds: Histogram<"step" | "graph">;
  private readonly renderSeconds: Histogram<"graph">;
  private readonly inputBytes: Histogram;
  private readonly outputBytes: Histogram<"format">;
  private readonly fetchFailures: Counter<"cause">;

  constructor(sources: { queue: RenderQueue<RenderedImage>; pool: GeglPool }) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.renders = new Counter({
      name: "imgflo_renders_total",
      help: "Processing requests answered, by graph, output format and outcome (ok or the status).",
      labelNames: ["graph", "format", "outcome"],
      registers,
    });
    this.stepSeconds = new Histogram({
      name: "imgflo_render_step_seconds",
      help: "Time spent in each step of a render (fetch, decode, queue wait, render, encode).",
      labelNames: ["step", "graph"],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.renderSeconds = new Histogram({
      name: "imgflo_render_duration_seconds",
      help: "Time from request to response of successful processing requests, by graph.",
      labelNames: ["graph"],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.inputBytes = new Histogram({
      name: "imgflo_input_bytes",
      help: "Size of the fetched inputs.",
      buckets: BYTES_BUCKETS,
      registers,
    });
    this.outputBytes = new Histogram({
      name: "imgflo_output_bytes",
      help: "Size of the encoded results, by format.",
      labelNames: ["format"],
      buckets: BYTES_BUCKETS,
      registers,
    });
    this.fetchFailures = new Counter({
      name: "imgflo_fetch_failures_total",
      help: "Inputs that could not be fetched, by cause.",
      labelNames: ["cause"],
      registers,
    });
    this.queueMetrics(sources.queue);
    this.workerMetrics(sources.pool);
  }

  /** Records a processing request once it is answered (`image` when it succeeded). */
  observe(labels: RenderLabels, status: number, seconds: number, image?: RenderedImage): void {
    this.renders.inc({ ...labels, outcome: image ? "ok" : String(status) });
    if (!image) return;
    this.renderSeconds.observe({ graph: labels.graph }, seconds);
    this.outputBytes.observe({ format: image.format }, image.bytes.length);
    const { trace } = image;
    if (this.observed.has(trace)) return;
    this.observed.add(trace);
    for (const step of RENDER_STEPS) {
      const ms = trace.steps[step];
      if (ms !== undefined) this.stepSeconds.observe({ step, graph: labels.graph }, ms / 1000);
    }
    if (trace.inputBytes !== null) this.inputBytes.observe(trace.inputBytes);
  }

  /** Counts the error when it is a failure to fetch the input. */
  observeError(error: ImgfloError): void {
    const cause = fetchFailureCause(error);
    if (cause !== null) this.fetchFailures.inc({ cause });
  }

  /** The /metrics answer, in Prometheus' text format. */
  async response(): Promise<Response> {
    return new Response(await this.registry.metrics(), {
      headers: { "content-type": this.registry.contentType, "cache-control": "no-store" },
    });
  }

  private queueMetrics(queue: RenderQueue<RenderedImage>): void {
    const registers = [this.registry];
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    const stats = () => queue.stats();
    gauge(
      "imgflo_queue_waiting",
      "Renders admitted, waiting for their input or a slot.",
      () => stats().waiting,
    );
    gauge("imgflo_renders_in_flight", "Distinct renders in flight.", () => stats().inFlight);
    gauge("imgflo_render_slots_busy", "Render slots in use.", () => stats().rendering);
    gauge("imgflo_render_slots", "Render slots (RENDER_CONCURRENCY).", () => stats().concurrency);
    const counter = (name: string, help: string, read: () => number) =>
      new Counter({
        name,
        help,
        registers,
        // The queue keeps the count; the counter reports it.
        collect() {
          this.reset();
          this.inc(read());
        },
      });
    counter(
      "imgflo_inflight_shared_total",
      "Requests that joined an identical render already in flight.",
      () => stats().counters.deduplicated,
    );
    counter(
      "imgflo_queue_rejected_total",
      "Requests turned away with 503 because the queue was full.",
      () => stats().counters.rejected,
    );
  }

  private workerMetrics(pool: GeglPool): void {
    const registers = [this.registry];
    new Gauge({
      name: "imgflo_gegl_workers",
      help: "GEGL worker processes, by state.",
      labelNames: ["state"],
      registers,
      collect() {
        const { count, busyPids } = pool.stats();
        this.set({ state: "busy" }, busyPids.length);
        this.set({ state: "idle" }, count - busyPids.length);
      },
    });
    new Counter({
      name: "imgflo_gegl_worker_restarts_total",
      help: "GEGL workers replaced, by cause (crash, deadline).",
      labelNames: ["cause"],
      registers,
      collect() {
        this.reset();
        for (const [cause, count] of Object.entries(pool.stats().restarts)) {
          this.inc({ cause }, count);
        }
      },
    });
    new Gauge({
      name: "imgflo_gegl_workers_resident_memory_bytes",
      help: "Resident memory of all GEGL worker processes together.",
      registers,
      collect() {
        this.set(pool.stats().pids.reduce((sum, pid) => sum + rssBytes(pid), 0));
      },
    });
  }
}
