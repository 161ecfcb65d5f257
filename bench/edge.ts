/**
 * `npm run bench:edge`: cache-hit throughput and latency through workerd, against a baseline
 * Worker that only reads the same R2 object and returns it. The three sides take turns in
 * ROUNDS rounds, so that a neighbour's load on shared cores falls on all of them alike. Writes
 * bench/results/edge.json. Not a test: figures depend on the machine (the load generator shares
 * its cores).
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resultObjectName } from "../shared/cache-key.ts";
import { buildProcessingUrl } from "../shared/signed-url.ts";
import {
  freshDatabase,
  seedApplications,
  startEdge,
  startLocalWorker,
} from "../test/harness/edge.ts";
import { startOrigin } from "../test/harness/origin.ts";
import { benchMachine } from "./lib/machine.ts";

const CONNECTIONS = 64;
const ROUNDS = 3;
const ROUND_S = 5;
const WARMUP_S = 2;
/** Requests per second of each side over the baseline's, at least. */
const TARGETS = { processingUrlHit: 1.0, cacheRoute: 1.1 } as const;
const ORIGIN_SECRET = "bench-origin-secret";
const RESULTS = new URL("results/edge.json", import.meta.url);

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number };
  errors: number;
  timeouts: number;
  "2xx": number;
  "3xx": number;
  non2xx: number;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

interface Figures {
  url: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

/** Runs the load; every answer must have the expected status class (a benchmark of errors is no benchmark). */
async function measure(url: string, expected: "2xx" | "3xx", duration: number): Promise<Figures> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration });
  const unexpected = result.requests.total - result[expected];
  if (result.errors > 0 || result.timeouts > 0 || unexpected > 0) {
    throw new Error(
      `${url}: ${result.errors} errors, ${result.timeouts} timeouts, ${unexpected} answers not ${expected}`,
    );
  }
  return {
    url,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
  };
}

/** Rounds of one side as one figure: requests over the whole time, the median p50, the worst p99. */
function combined(rounds: readonly Figures[]): Figures & { rounds: Figures[] } {
  const requests = rounds.reduce((sum, round) => sum + round.requests, 0);
  const p50s = rounds.map((round) => round.p50Ms).sort((a, b) => a - b);
  return {
    url: rounds[0]?.url ?? "",
    requestsPerSecond: Math.round(requests / (rounds.length * ROUND_S)),
    p50Ms: p50s[Math.floor(p50s.length / 2)] ?? Number.NaN,
    p99Ms: Math.max(...rounds.map((round) => round.p99Ms)),
    requests,
    rounds: [...rounds],
  };
}

async function startBaseline(persistDir: string, objectName: string) {
  const configDir = await mkdtemp(join(tmpdir(), "imgflo-bench-baseline-"));
  const config = join(configDir, "wrangler.toml");
  await writeFile(
    config,
    [
      'name = "imgflo-bench-baseline"',
      `main = ${JSON.stringify(fileURLToPath(new URL("lib/baseline-worker.ts", import.meta.url)))}`,
      'compatibility_date = "2026-04-01"',
      "[vars]",
      `OBJECT_NAME = ${JSON.stringify(objectName)}`,
      "[[r2_buckets]]",
      'binding = "CACHE"',
      'bucket_name = "imgflo-cache"',
      "",
    ].join("\n"),
  );
  const worker = await startLocalWorker(config, persistDir);
  return {
    url: worker.url,
    async stop() {
      await worker.dispose();
      await rm(configDir, { recursive: true, force: true });
    },
  };
}

const persistDir = await freshDatabase();
const [app] = await seedApplications(persistDir, [{ name: "bench" }]);
const origin = await startOrigin({ ORIGIN_SECRET, ALLOW_PRIVATE_INPUTS: "1" });
const edge = await startEdge({
  originUrls: [origin.url],
  originSecret: ORIGIN_SECRET,
  persistDir,
  allowUnsigned: false,
});
let baseline: Awaited<ReturnType<typeof startBaseline>> | undefined;
try {
  // One render fills the cache; the origin is then stopped: a cache hit must not need it.
  const { key, secret } = app as { key: string; secret: string };
  const processingUrl = buildProcessingUrl(
    { server: `${edge.url}/`, key, secret },
    "passthrough",
    { input: "files/gridbear.jpg", width: 300 },
    "jpg",
  );
  const first = await fetch(processingUrl, { redirect: "manual" });
  const location = first.headers.get("location");
  if (first.status !== 301 || !location)
    throw new Error(`The first render answered ${first.status}.`);
  const cacheUrl = `${edge.url}${location}`;
  const bytes = (await (await fetch(cacheUrl)).arrayBuffer()).byteLength;
  await origin.stop();

  const cacheKey = /\/cache\/([0-9a-f]{64})\./.exec(location)?.[1] as string;
  baseline = await startBaseline(persistDir, resultObjectName(cacheKey));
  const baselineBytes = (await (await fetch(baseline.url)).arrayBuffer()).byteLength;
  if (baselineBytes !== bytes)
    throw new Error(`The baseline read ${baselineBytes} bytes, the edge served ${bytes}.`);

  console.log(
    `edge bench: ${CONNECTIONS} connections, ${ROUNDS} rounds of ${ROUND_S} s per side, a ${bytes}-byte JPEG`,
  );
  const sides = [
    ["baseline", baseline.url, "2xx"],
    ["processingUrlHit", processingUrl, "3xx"],
    ["cacheRoute", cacheUrl, "2xx"],
  ] as const;
  for (const [, url, expected] of sides) await measure(url, expected, WARMUP_S);
  const rounds: Record<(typeof sides)[number][0], Figures[]> = {
    baseline: [],
    processingUrlHit: [],
    cacheRoute: [],
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [side, url, expected] of sides) {
      rounds[side].push(await measure(url, expected, ROUND_S));
    }
  }
  const figures = {
    baseline: combined(rounds.baseline),
    processingUrlHit: combined(rounds.processingUrlHit),
    cacheRoute: combined(rounds.cacheRoute),
  };
  const ratios = {
    processingUrlHit:
      figures.processingUrlHit.requestsPerSecond / figures.baseline.requestsPerSecond,
    cacheRoute: figures.cacheRoute.requestsPerSecond / figures.baseline.requestsPerSecond,
  };

  const rows = [
    ["baseline: R2 get, return the object", figures.baseline],
    ["edge: signed processing URL -> 301", figures.processingUrlHit],
    ["edge: /cache/<key>.jpg -> bytes", figures.cacheRoute],
  ] as const;
  for (const [label, row] of rows) {
    console.log(
      `${label.padEnd(40)} ${String(row.requestsPerSecond).padStart(7)} req/s  p50 ${row.p50Ms} ms  p99 ${row.p99Ms} ms`,
    );
  }
  console.log(
    `ratio to baseline: processing URL ${ratios.processingUrlHit.toFixed(2)} (target >= ${TARGETS.processingUrlHit}), /cache ${ratios.cacheRoute.toFixed(2)} (target >= ${TARGETS.cacheRoute})`,
  );

  await mkdir(new URL("./", RESULTS), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    machine: benchMachine(),
    load: {
      tool: "autocannon",
      connections: CONNECTIONS,
      rounds: ROUNDS,
      roundSeconds: ROUND_S,
      bodyBytes: bytes,
    },
    results: figures,
    ratios,
    targets: TARGETS,
    meetsTargets:
      ratios.processingUrlHit >= TARGETS.processingUrlHit &&
      ratios.cacheRoute >= TARGETS.cacheRoute,
  };
  await writeFile(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${fileURLToPath(RESULTS)}`);
} finally {
  await baseline?.stop();
  await edge.stop();
  await origin.stop();
}
