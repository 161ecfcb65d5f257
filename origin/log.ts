import { RENDER_STEPS, type StepDurations } from "../shared/server-timing.ts";
import type { LogFormat } from "./config.ts";

/** The one log line of an answered request. */
export interface RequestLogEntry {
  requestId: string;
  method: string;
  /** The path without the query (which holds input URLs). */
  path: string;
  status: number;
  durationMs: number;
  graph?: string;
  format?: string;
  /** Bytes of the answer. */
  bytes?: number;
  inputBytes?: number;
  steps?: StepDurations;
  workerPid?: number;
  /** Pixels the decode step made of the input: fewer than the input's at its size for a region. */
  decodedPixels?: number;
  /** Pixels the decode step made of the image inports' images, together. */
  decodedImagePixels?: number;
  /** The error's code and sentence, as the client got them. */
  error?: { code: string; message: string };
  /** For server-side failures: what actually went wrong (a stack). */
  cause?: string;
}

/** The origin's log: JSON lines (`LOG_FORMAT=json`, the default) or readable lines (`pretty`). */
export interface Logger {
  /** A line about the service itself: start-up, workers, shutdown. */
  info(message: string): void;
  error(message: string, cause?: string): void;
  request(entry: RequestLogEntry): void;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

function levelOf(status: number): "info" | "warn" | "error" {
  return status >= 500 ? "error" : status >= 400 ? "warn" : "info";
}

function prettyRequest(entry: RequestLogEntry): string {
  const parts = [
    entry.method,
    entry.path,
    String(entry.status),
    `${Math.round(entry.durationMs)} ms`,
  ];
  if (entry.bytes !== undefined) parts.push(`${entry.bytes} B`);
  if (entry.steps) {
    const steps = RENDER_STEPS.filter((step) => entry.steps?.[step] !== undefined).map(
      (step) => `${step} ${Math.round(entry.steps?.[step] as number)}`,
    );
    parts.push(`[${steps.join(", ")}]`);
  }
  if (entry.workerPid !== undefined) parts.push(`worker ${entry.workerPid}`);
  if (entry.error) parts.push(`${entry.error.code}: ${entry.error.message}`);
  parts.push(`id=${entry.requestId}`);
  return [parts.join(" "), entry.cause].filter(Boolean).join("\n");
}

function jsonRequest(entry: RequestLogEntry): Record<string, unknown> {
  const steps = entry.steps
    ? Object.fromEntries(Object.entries(entry.steps).map(([step, ms]) => [step, round(ms)]))
    : undefined;
  return {
    level: levelOf(entry.status),
    msg: "request",
    ...entry,
    durationMs: round(entry.durationMs),
    steps,
  };
}

/** A logger writing whole lines to `write` (the process's stderr). */
export function createLogger(format: LogFormat, write: (line: string) => void): Logger {
  if (format === "pretty") {
    return {
      info: (message) => write(`origin: ${message}`),
      error: (message, cause) => write(`origin: ${[message, cause].filter(Boolean).join("\n")}`),
      request: (entry) => write(`origin: ${prettyRequest(entry)}`),
    };
  }
  const line = (fields: Record<string, unknown>) =>
    write(JSON.stringify({ time: new Date().toISOString(), ...fields }));
  return {
    info: (message) => line({ level: "info", msg: message }),
    error: (message, cause) => line({ level: "error", msg: message, cause }),
    request: (entry) => line(jsonRequest(entry)),
  };
}
