import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runLoad } from "../../bench/lib/load.ts";
import { type FixtureServer, startFixtureServer } from "../harness/fixture-server.ts";
import { type OriginProcess, startOrigin } from "../harness/origin.ts";
import { type PrometheusProcess, startPrometheus } from "../harness/prometheus.ts";

// A real Prometheus scraping a real origin on loopback while this file puts it under a bounded
// load; then every query of every panel of the dashboard must return data.
const OBSERVABILITY = new URL("../../docker/observability/", import.meta.url);
const DASHBOARD = new URL("grafana-dashboard.json", OBSERVABILITY);
const SECRET = "dashboard-test-secret";
// Requests of the load; one in eight fails on purpose (unknown graph, input answering 404).
const LOAD_REQUESTS = 48;
const LOAD_CONCURRENCY = 2;
/** requestPath cycles through its kinds every 8 requests. */
const WARM_UP_REQUESTS = 8;
const GRAPHS = ["gaussianblur", "gradientmap", "passthrough", "desaturate"];

interface Panel {
  title: string;
  datasource: { uid: string };
  targets: { expr: string; refId: string }[];
}

const panels = (JSON.parse(readFileSync(DASHBOARD, "utf8")) as { panels: Panel[] }).panels;
// Grafana's own variable; Prometheus gets the window it stands for.
const asPromQL = (expr: string) => expr.replaceAll("$__rate_interval", "1m");

let fixtures: FixtureServer;
let origin: OriginProcess;
let prometheus: PrometheusProcess;

function requestPath(index: number): string {
  const input = encodeURIComponent(fixtures.at("images/grid-toastybob.jpg"));
  if (index % 8 === 3) return `graph/no-such-graph.png?input=${input}`;
  if (index % 8 === 7) {
    return `graph/passthrough.png?input=${encodeURIComponent(fixtures.at("status/404"))}`;
  }
  const graph = GRAPHS[Math.floor(index / 2) % GRAPHS.length] as string;
  const format = index % 2 === 0 ? "jpg" : "webp";
  return `graph/${graph}.${format}?input=${input}&width=${100 + index}`;
}

beforeAll(async () => {
  fixtures = await startFixtureServer();
  origin = await startOrigin({ ORIGIN_SECRET: SECRET, ALLOW_PRIVATE_INPUTS: "true" });
  prometheus = await startPrometheus({ url: origin.url, secret: SECRET });
  await vi.waitFor(
    async () => {
      const [up] = await prometheus.query('up{job="imgflo-origin"}');
      if (up?.value !== 1) throw new Error(`origin not scraped yet:\n${prometheus.output()}`);
    },
    { timeout: 30_000, interval: 250 },
  );
  const load = (first: number, requests: number) =>
    runLoad(
      async (index) => {
        const response = await origin.get(requestPath(index), {
          authorization: `Bearer ${SECRET}`,
        });
        await response.arrayBuffer();
      },
      { concurrency: LOAD_CONCURRENCY, requests, first },
    );
  const scraped = (renders: number) =>
    vi.waitFor(
      async () => {
        const [total] = await prometheus.query("sum(imgflo_renders_total)");
        if (total?.value !== renders) throw new Error(`Prometheus saw ${total?.value} renders`);
      },
      { timeout: 30_000, interval: 250 },
    );
  // A rate needs a series seen before and after an increase: one request of each kind first,
  // scraped, then the rest of the load (a fast load could otherwise fall between two scrapes).
  await load(0, WARM_UP_REQUESTS);
  await scraped(WARM_UP_REQUESTS);
  await load(WARM_UP_REQUESTS, LOAD_REQUESTS - WARM_UP_REQUESTS);
  await scraped(LOAD_REQUESTS);
}, 180_000);

afterAll(async () => {
  await prometheus?.stop();
  await origin?.stop();
  await fixtures?.close();
});

describe("docker/observability/grafana-dashboard.json against a real Prometheus", () => {
  it("has panels for renders, step percentiles, errors, queue, worker restarts and memory", () => {
    const exprs = panels.flatMap((panel) => panel.targets.map((target) => target.expr)).join("\n");
    for (const needed of [
      "imgflo_renders_total",
      "histogram_quantile(0.5, sum by (le, step)",
      "histogram_quantile(0.95, sum by (le, step)",
      "histogram_quantile(0.99, sum by (le, step)",
      'outcome!="ok"',
      "imgflo_queue_waiting",
      "imgflo_gegl_worker_restarts_total",
      "process_resident_memory_bytes",
    ]) {
      expect(exprs).toContain(needed);
    }
  });

  it("reads the datasource Grafana is provisioned with, and the profile's Prometheus config is valid", () => {
    const provisioned = readFileSync(
      new URL("grafana/datasources/prometheus.yml", OBSERVABILITY),
      "utf8",
    );
    const uid = /^\s+uid: (\S+)$/m.exec(provisioned)?.[1];
    expect(new Set(panels.map((panel) => panel.datasource.uid))).toEqual(new Set([uid]));
    // The credentials file exists only in the container, hence syntax only.
    const config = new URL("prometheus.yml", OBSERVABILITY).pathname;
    expect(
      execFileSync("promtool", ["check", "config", "--syntax-only", config]).toString(),
    ).toMatch(/SUCCESS/);
  });

  it.each(panels.map((panel) => [panel.title, panel] as const))(
    "%s: every query returns data",
    async (_, panel) => {
      for (const target of panel.targets) {
        // A rate needs two scrapes that saw the load: wait for them rather than for a fixed time.
        await vi.waitFor(
          async () => {
            const samples = await prometheus.query(asPromQL(target.expr));
            const values = samples.filter((sample) => Number.isFinite(sample.value));
            if (values.length === 0) {
              throw new Error(`${target.refId} ${target.expr}: ${JSON.stringify(samples)}`);
            }
          },
          { timeout: 30_000, interval: 500 },
        );
      }
    },
    60_000,
  );

  it("labels renders by catalogue graph and outcome only, never by URL", async () => {
    const samples = await prometheus.query("imgflo_renders_total");
    const graphs = new Set(samples.map((sample) => sample.metric.graph));
    expect([...graphs].sort()).toEqual([...GRAPHS, "none"].sort());
    const outcomes = new Set(samples.map((sample) => sample.metric.outcome));
    expect([...outcomes].sort()).toEqual(["404", "504", "ok"]);
    const failures = await prometheus.query("imgflo_fetch_failures_total");
    expect(failures.map((sample) => [sample.metric.cause, sample.value])).toEqual([["status", 6]]);
  });
});
