import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import sharp, { type Metadata } from "sharp";
import { originProcessEnv } from "../../origin/malloc-tunables.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const START_TIMEOUT_MS = 60_000;
const LISTENING = /listening on (http:\/\/\S+)/;

export interface OriginProcess {
  /** Base URL with a trailing slash. */
  url: string;
  pid: number;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** GET a path (relative to the origin) with optional headers. */
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  healthz(): Promise<OriginHealth>;
  /** Sends `signal` (SIGTERM unless told), then waits for the exit; resolves to the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface OriginHealth {
  status: string;
  queue: {
    waiting: number;
    rendering: number;
    inFlight: number;
    concurrency: number;
    maxQueue: number;
    /** Render memory admission: budget and admitted in bytes, renders waiting for their share. */
    memory: { budget: number; admitted: number; waiting: number };
  };
  /** Input downloads in progress, waiting for a slot, and refused with 503. */
  downloads: { active: number; waiting: number; rejected: number };
  workers: {
    count: number;
    pids: number[];
    busyPids: number[];
    replaced: number;
    restarts: { crash: number; deadline: number };
    geglThreads: number;
  };
  counters: {
    started: number;
    deduplicated: number;
    completed: number;
    failed: number;
    rejected: number;
  };
}

/** A free TCP port on loopback (for servers that cannot listen on port 0 and report back). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function waitForListening(child: ChildProcess, output: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`origin did not start:\n${output()}`)),
      START_TIMEOUT_MS,
    );
    const check = () => {
      const match = LISTENING.exec(output());
      if (!match) return;
      clearTimeout(timer);
      resolve(match[1] as string);
    };
    child.stdout?.on("data", check);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`origin exited with ${code} before listening:\n${output()}`));
    });
  });
}

/**
 * Starts a real origin (`node bin/imgflo-server.js origin`, real GEGL workers) on a free
 * loopback port; `env` adds to or overrides the environment (e.g. `ALLOW_PRIVATE_INPUTS`).
 */
export async function startOrigin(
  env: Record<string, string> = {},
  args: string[] = [],
): Promise<OriginProcess> {
  const child = spawn(process.execPath, ["bin/imgflo-server.js", "origin", ...args], {
    cwd: ROOT,
    // Tests count input downloads: the input cache is off unless a test turns it on.
    env: {
      ...process.env,
      ...originProcessEnv(),
      PORT: "0",
      HOST: "127.0.0.1",
      INPUT_CACHE_TTL_MS: "0",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const output = () => text;
  child.stdout?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  const url = await waitForListening(child, output);
  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, url), { headers });
  return {
    url,
    pid: child.pid ?? 0,
    output,
    get,
    healthz: async () => (await (await get("healthz")).json()) as OriginHealth,
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Decoded pixels: RGBA, 8 bits per channel. */
export interface Image {
  width: number;
  height: number;
  pixels: Buffer;
}

export interface RenderedImage extends Image {
  status: number;
  headers: Headers;
  contentType: string | null;
  /** The format sharp detects in the bytes: jpeg, png, webp, avif or gif. */
  format: string;
  bytes: Buffer;
  metadata: Metadata;
}

export async function pixelsOf(bytes: Buffer): Promise<Image> {
  const { data, info } = await sharp(bytes)
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, pixels: data };
}

/** Mean absolute difference between two images of the same size, over RGB, in 8-bit levels. */
export function meanDifference(a: Image, b: Image): number {
  if (a.width !== b.width || a.height !== b.height) {
    throw new Error(`the images differ in size: ${a.width}x${a.height} and ${b.width}x${b.height}`);
  }
  let total = 0;
  for (let i = 0; i < a.pixels.length; i += 4) {
    for (let c = 0; c < 3; c++)
      total += Math.abs((a.pixels[i + c] as number) - (b.pixels[i + c] as number));
  }
  return total / ((a.pixels.length / 4) * 3);
}

/** Awaits an origin response that must be a 200 image, and decodes it. */
export async function readImage(pending: Promise<Response>): Promise<RenderedImage> {
  const response = await pending;
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status !== 200) {
    throw new Error(`expected an image, got ${response.status}: ${bytes.toString().slice(0, 300)}`);
  }
  const metadata = await sharp(bytes, { animated: true }).metadata();
  const format =
    metadata.format === "heif" && metadata.compression === "av1" ? "avif" : metadata.format;
  return {
    ...(await pixelsOf(bytes)),
    status: response.status,
    headers: response.headers,
    contentType: response.headers.get("content-type"),
    format,
    bytes,
    metadata,
  };
}
