import { errors, type ImgfloError } from "../../shared/errors.ts";
import { Deadline } from "../admission/deadline.ts";
import type { OperationDescriptions } from "./operation-description.ts";
import type { Frame } from "./protocol.ts";
import type { RenderedPixels, RenderJob, WorkerImage } from "./render-job.ts";
import { type RestartCause, type WorkerOptions, WorkerProcess } from "./worker-process.ts";

export interface PoolOptions extends WorkerOptions {
  size: number;
}

export interface GeglVersions {
  gegl: string;
  babl: string;
}

export interface PoolStats {
  count: number;
  pids: number[];
  /** Workers rendering right now. */
  busyPids: number[];
  /** Workers started to replace one that crashed or overran its deadline. */
  replaced: number;
  /** Workers that went, by why. */
  restarts: Record<RestartCause, number>;
}

const RESTART_DELAY_MS = 1000;

/**
 * The worker's failure kinds that are the request's doing (its output size) rather than the
 * server's. A graph the worker refuses (`bad-request`) passed the compile, which checks every
 * graph first (compile/graph-compiler.ts): that is the server's fault, a 500.
 */
function replyError(header: Record<string, unknown>): ImgfloError {
  const message = String(header.error ?? "unknown error");
  switch (header.kind) {
    case "too-large":
      return errors.outputTooLarge(message);
    case "empty-output":
      return errors.emptyOutput(message);
    default:
      return errors.renderFailed(message);
  }
}

/**
 * A fixed number of GEGL worker processes. A render borrows one worker; a worker that dies or
 * overruns its deadline fails only its own render and is replaced while the others carry on.
 */
export class GeglPool {
  private readonly all = new Set<WorkerProcess>();
  private readonly idle: WorkerProcess[] = [];
  private readonly waiting: ((worker: WorkerProcess) => void)[] = [];
  private replaced = 0;
  private readonly restarts: Record<RestartCause, number> = { crash: 0, deadline: 0 };
  private closing = false;

  private constructor(private readonly options: PoolOptions) {}

  static async start(options: PoolOptions): Promise<GeglPool> {
    const pool = new GeglPool(options);
    const workers = await Promise.allSettled(
      Array.from({ length: options.size }, () => WorkerProcess.start(options)),
    );
    for (const result of workers) {
      if (result.status === "fulfilled") pool.adopt(result.value);
    }
    const failure = workers.find((result) => result.status === "rejected");
    if (failure) {
      await pool.close();
      throw failure.reason;
    }
    return pool;
  }

  /**
   * Renders a job on `input` and the job's other images (each pixels or a pixel file, in the
   * order of `job.images`); the result comes back in `outputFile` when one is given and the
   * worker could write it, otherwise as pixels.
   */
  async render(
    job: RenderJob,
    input: WorkerImage | null,
    deadline: Deadline,
    { outputFile, images = [] }: { outputFile?: string; images?: readonly WorkerImage[] } = {},
  ): Promise<RenderedPixels> {
    const inputFile = input && "file" in input ? input.file : undefined;
    const files =
      inputFile || outputFile ? { files: { input: inputFile, output: outputFile } } : {};
    if ((job.images?.length ?? 0) !== images.length) {
      throw new Error(
        `A render job with ${job.images?.length ?? 0} images was given ${images.length}`,
      );
    }
    // The payload: the input's pixels, then the others', each unless it is in a pixel file.
    const payload = [input, ...images].flatMap((image) =>
      image && "pixels" in image ? [image.pixels] : [],
    );
    const withFiles = job.images?.map((image, i) => {
      const pixels = images[i] as WorkerImage;
      return "file" in pixels ? { ...image, file: pixels.file } : image;
    });
    const request = { ...job, ...(withFiles ? { images: withFiles } : {}), ...files };
    const reply = await this.request(request, payload, deadline);
    const { header, workerPid } = reply;
    if (header.ok !== true) throw replyError(header);
    const size = { width: Number(header.width), height: Number(header.height) };
    const channels: 3 | 4 = header.channels === 3 ? 3 : 4;
    const conversions = (header.conversions ?? {}) as Record<string, number>;
    const operations = Array.isArray(header.operations) ? header.operations.map(String) : [];
    const path = String(header.path);
    const rendered = { ...size, channels, workerPid, path, conversions, operations };
    return header.file === true && outputFile
      ? { file: outputFile, ...rendered }
      : { pixels: reply.payload, ...rendered };
  }

  /** Describes the given operations, or every operation GEGL has when none are given. */
  async describe(
    operations: string[] | undefined,
    timeoutMs: number,
  ): Promise<GeglVersions & { operations: OperationDescriptions }> {
    const { header } = await this.request(
      { cmd: "describe", operations },
      [],
      new Deadline(timeoutMs),
    );
    if (header.ok !== true)
      throw new Error(`The GEGL worker cannot describe operations: ${String(header.error)}`);
    return {
      gegl: String(header.gegl_version),
      babl: String(header.babl_version),
      operations: header.operations as OperationDescriptions,
    };
  }

  stats(): PoolStats {
    const workers = [...this.all];
    return {
      count: workers.length,
      pids: workers.map((worker) => worker.pid),
      busyPids: workers.filter((worker) => worker.busy).map((worker) => worker.pid),
      replaced: this.replaced,
      restarts: { ...this.restarts },
    };
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.all].map((worker) => worker.close()));
  }

  private async request(
    header: object,
    payload: readonly Buffer[],
    deadline: Deadline,
  ): Promise<Frame & { workerPid: number }> {
    const asked = performance.now();
    const worker = await this.acquire();
    // Only a worker being replaced makes a render wait here (slots match workers).
    deadline.extend(performance.now() - asked);
    try {
      return { ...(await worker.request(header, payload, deadline)), workerPid: worker.pid };
    } finally {
      this.release(worker);
    }
  }

  private acquire(): Promise<WorkerProcess> {
    const worker = this.idle.pop();
    if (worker) return Promise.resolve(worker);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private adopt(worker: WorkerProcess): void {
    this.all.add(worker);
    worker.exited.then(() => this.forget(worker));
    this.release(worker);
  }

  private release(worker: WorkerProcess): void {
    // A dead worker is not handed out again; forget() replaces it once its process is gone.
    if (!worker.alive) return;
    const waiter = this.waiting.shift();
    if (waiter) waiter(worker);
    else this.idle.push(worker);
  }

  private forget(worker: WorkerProcess): void {
    this.all.delete(worker);
    const index = this.idle.indexOf(worker);
    if (index >= 0) this.idle.splice(index, 1);
    if (!this.closing) this.restarts[worker.restartCause]++;
    this.replace();
  }

  private replace(): void {
    if (this.closing) return;
    this.replaced++;
    WorkerProcess.start(this.options).then(
      (worker) => (this.closing ? worker.close() : this.adopt(worker)),
      (error: Error) => {
        this.options.log(`${error.message}; trying again in ${RESTART_DELAY_MS} ms`);
        setTimeout(() => this.replace(), RESTART_DELAY_MS);
      },
    );
  }
}
