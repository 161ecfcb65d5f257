import { type ChildProcessByStdio, spawn } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { errors, type ImgfloError } from "../../shared/errors.ts";
import { Deadline } from "../admission/deadline.ts";
import { GEGL_OPS_DIR, type OriginConfig } from "../config.ts";
import { workerTunables } from "../malloc-tunables.ts";
import { encodeFrame, type Frame, FrameReader } from "./protocol.ts";

export interface WorkerOptions {
  binary: string;
  env: Record<string, string>;
  /** How long start-up (GEGL init and its warm-up render) may take. */
  startTimeoutMs: number;
  /** Where the worker's stderr goes, line by line: the origin's log (so JSON logs stay JSON). */
  log: (line: string) => void;
}

/** The origin's settings its workers read (shared/origin-settings.ts; main.c lists the variables). */
export type WorkerSettings = Pick<
  OriginConfig,
  | "geglThreads"
  | "geglCacheMib"
  | "workerDirectBlur"
  | "workerFastConversions"
  | "workerPointChains"
  | "workerInput"
  | "workerMaxPayloadBytes"
  | "workerWarmUp"
>;

// The workers get what GEGL, babl and the C runtime read; not the origin's secrets.
const INHERITED = /^(GEGL_|BABL_|GLIBC_TUNABLES$|LC_|LANG$|PATH$|HOME$)/;

const flag = (on: boolean) => (on ? "1" : "0");

/** A worker's environment: what it inherits from the origin's, then its settings as the worker reads them. */
export function workerEnv(
  settings: WorkerSettings,
  inherited: Record<string, string | undefined> = process.env,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(inherited)) {
    if (value !== undefined && INHERITED.test(name)) env[name] = value;
  }
  return {
    ...env,
    GLIBC_TUNABLES: workerTunables(env),
    GEGL_PATH: GEGL_OPS_DIR,
    GEGL_THREADS: String(settings.geglThreads),
    GEGL_CACHE_SIZE: String(settings.geglCacheMib),
    IMGFLO_WORKER_DIRECT: flag(settings.workerDirectBlur),
    IMGFLO_WORKER_FAST_CONVERSIONS: flag(settings.workerFastConversions),
    IMGFLO_WORKER_POINT_CHAINS: flag(settings.workerPointChains),
    IMGFLO_WORKER_INPUT: settings.workerInput,
    IMGFLO_WORKER_MAX_PAYLOAD_BYTES: String(settings.workerMaxPayloadBytes),
    IMGFLO_WORKER_WARMUP: flag(settings.workerWarmUp),
  };
}

/** Why a worker had to be replaced. */
export type RestartCause = "crash" | "deadline";

const DEADLINE_REASON = "was stopped at its deadline";

interface Pending {
  resolve: (frame: Frame) => void;
  reject: (error: ImgfloError) => void;
  timer: NodeJS.Timeout;
}

/**
 * One imgflo-gegl-worker process: GEGL initialised once, one request at a time. A request that
 * outlives its deadline kills the process; a process that dies fails its request. Either way
 * the worker is then dead for good and its owner starts another.
 */
export class WorkerProcess {
  private pending: Pending | null = null;
  private exitReason: string | null = null;
  private readonly reader = new FrameReader();
  /** Settles when the process has gone, whatever the reason. */
  readonly exited: Promise<void>;

  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, Readable>) {
    child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    // A write to a worker that just died: the exit handler reports it.
    child.stdin.on("error", () => {});
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        this.die(signal ? `was killed by ${signal}` : `exited with status ${code}`);
        resolve();
      });
      child.once("error", (error) => {
        this.die(`could not be run (${error.message})`);
        resolve();
      });
    });
  }

  static async start(options: WorkerOptions): Promise<WorkerProcess> {
    await access(options.binary, constants.X_OK).catch(() => {
      throw new Error(
        `The GEGL worker ${options.binary} is missing: build it with "npm run setup".`,
      );
    });
    const child = spawn(options.binary, [], {
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
      // Its own process group: a signal to the origin's group (Ctrl-C, `npm start` stopping)
      // reaches only the origin, which drains; the worker exits when its stdin closes.
      detached: true,
    });
    createInterface({ input: child.stderr, crlfDelay: Number.POSITIVE_INFINITY }).on(
      "line",
      options.log,
    );
    const worker = new WorkerProcess(child);
    try {
      await worker.request({ cmd: "ping" }, [], new Deadline(options.startTimeoutMs));
    } catch (error) {
      worker.kill();
      throw new Error(
        `The GEGL worker ${options.binary} did not start: ${(error as Error).message}`,
      );
    }
    return worker;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get alive(): boolean {
    return this.exitReason === null;
  }

  get restartCause(): RestartCause {
    return this.exitReason === DEADLINE_REASON ? "deadline" : "crash";
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  /** Sends one request; rejects with the deadline's 504 when it passes (killing the worker) or a 500 if it dies. */
  request(header: object, payload: Buffer | readonly Buffer[], deadline: Deadline): Promise<Frame> {
    if (!this.alive) {
      return Promise.reject(errors.renderFailed(`the GEGL worker ${this.exitReason}.`));
    }
    if (this.pending) throw new Error("WorkerProcess: one request at a time");
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(deadline.exceeded());
        this.kill(DEADLINE_REASON);
      }, deadline.left());
      this.pending = { resolve, reject, timer };
      for (const part of encodeFrame(header, payload)) this.child.stdin.write(part);
    });
  }

  kill(reason = "was stopped"): void {
    if (!this.alive) return;
    this.exitReason = reason;
    this.child.kill("SIGKILL");
  }

  /** Closes stdin (the worker exits at end of input) and waits for the exit. */
  async close(): Promise<void> {
    this.child.stdin.end();
    await this.exited;
  }

  private receive(chunk: Buffer): void {
    let frames: Frame[];
    try {
      frames = this.reader.push(chunk);
    } catch {
      this.fail(errors.renderFailed("the GEGL worker sent a malformed reply."));
      this.kill("sent a malformed reply");
      return;
    }
    for (const frame of frames) {
      const pending = this.pending;
      this.pending = null;
      if (!pending) {
        this.kill("sent an unexpected reply");
        return;
      }
      clearTimeout(pending.timer);
      pending.resolve(frame);
    }
  }

  private die(reason: string): void {
    this.exitReason ??= reason;
    this.fail(errors.renderFailed(`the GEGL worker ${reason}.`));
  }

  private fail(error: ImgfloError): void {
    const pending = this.pending;
    this.pending = null;
    if (!pending) return;
    clearTimeout(pending.timer);
    pending.reject(error);
  }
}
