import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./origin.ts";

const PROMETHEUS = "/usr/bin/prometheus";
const READY_TIMEOUT_MS = 60_000;

export interface ScrapeTarget {
  /** Base URL of the origin, e.g. `http://127.0.0.1:40123/`. */
  url: string;
  /** Sent as `Authorization: Bearer <it>`. */
  secret: string;
}

/** One sample of an instant query: its labels and its value (NaN included, as Prometheus sends it). */
export interface Sample {
  metric: Record<string, string>;
  value: number;
}

export interface PrometheusProcess {
  url: string;
  /** An instant query at the current time (PromQL). */
  query(expr: string): Promise<Sample[]>;
  /** Everything the process wrote so far. */
  output(): string;
  stop(): Promise<void>;
}

function config(target: ScrapeTarget, secretFile: string, intervalSeconds: number): string {
  const { host, pathname } = new URL("metrics", target.url);
  return [
    "global:",
    `  scrape_interval: ${intervalSeconds}s`,
    "scrape_configs:",
    "  - job_name: imgflo-origin",
    `    metrics_path: ${pathname}`,
    "    authorization:",
    `      credentials_file: ${secretFile}`,
    "    static_configs:",
    `      - targets: ["${host}"]`,
    "",
  ].join("\n");
}

/**
 * Debian's Prometheus (`scripts/setup.sh --test` installs it) on a free loopback port, scraping
 * one origin's /metrics with its secret every `intervalSeconds`, storing into a temporary folder.
 */
export async function startPrometheus(
  target: ScrapeTarget,
  intervalSeconds = 1,
): Promise<PrometheusProcess> {
  if (!existsSync(PROMETHEUS)) {
    throw new Error(
      `${PROMETHEUS} is missing: "bash scripts/setup.sh --test" installs Debian's prometheus.`,
    );
  }
  const dir = await mkdtemp(join(tmpdir(), "imgflo-prometheus-"));
  const secretFile = join(dir, "origin-secret");
  await writeFile(secretFile, target.secret, { mode: 0o600 });
  await writeFile(join(dir, "prometheus.yml"), config(target, secretFile, intervalSeconds));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let text = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    text += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    await exited;
    await rm(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const ready = await fetch(new URL("-/ready", url)).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Prometheus did not start:\n${text}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return {
    url,
    output: () => text,
    stop,
    async query(expr) {
      const response = await fetch(new URL(`api/v1/query?query=${encodeURIComponent(expr)}`, url));
      const body = (await response.json()) as {
        status: string;
        error?: string;
        data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== "success") throw new Error(`${expr}: ${body.error ?? response.status}`);
      return (body.data?.result ?? []).map(({ metric, value }) => ({
        metric,
        value: Number(value[1]),
      }));
    },
  };
}
