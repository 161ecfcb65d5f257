/**
 * `tsx bench/cpu.ts W1..W7 [requests] [concurrency]`: CPU time per request of the origin's node
 * process and of its GEGL workers (utime + stime from /proc, every thread), for one workload
 * over loopback. On shared cores CPU time per request is steadier than renders/s. Not a test.
 */
import { DEFAULT_INPUT_CACHE_TTL_MS } from "../origin/config.ts";
import { parseServerTiming } from "../shared/server-timing.ts";
import { startFixtureServer } from "../test/harness/fixture-server.ts";
import { startOrigin } from "../test/harness/origin.ts";
import { runLoad } from "./lib/load.ts";
import { cpuMs, processTree } from "./lib/process-memory.ts";
import { WORKLOAD_PATHS, type WorkloadId } from "./lib/workload-paths.ts";

async function main(): Promise<void> {
  const [id = "W1", requestsArg = "200", concurrencyArg = "1"] = process.argv.slice(2);
  const path = WORKLOAD_PATHS[id as WorkloadId];
  if (!path) throw new Error(`unknown workload ${id}`);
  const requests = Number(requestsArg);
  const concurrency = Number(concurrencyArg);
  const fixtures = await startFixtureServer();
  const origin = await startOrigin({
    ALLOW_PRIVATE_INPUTS: "1",
    // The test harness turns the input cache off; this measures the default, as bench:origin does.
    INPUT_CACHE_TTL_MS: String(DEFAULT_INPUT_CACHE_TTL_MS),
    ...(process.env.ORIGIN_NODE_OPTIONS ? { NODE_OPTIONS: process.env.ORIGIN_NODE_OPTIONS } : {}),
  });
  const input = (name: string) => encodeURIComponent(fixtures.at(`images/${name}`));
  const steps: Record<string, number> = {};
  let bytes = 0;
  const task = async (i: number) => {
    const response = await fetch(new URL(path(i, input), origin.url));
    const body = Buffer.from(await response.arrayBuffer());
    if (response.status !== 200) throw new Error(`${response.status} ${body.toString()}`);
    bytes += body.length;
    for (const entry of parseServerTiming(response.headers.get("server-timing") ?? ""))
      steps[entry.name] = (steps[entry.name] ?? 0) + (entry.durationMs ?? 0);
  };
  try {
    await runLoad(task, { concurrency, requests: Math.max(8, concurrency * 4) });
    bytes = 0;
    for (const key of Object.keys(steps)) delete steps[key];
    const workers = processTree(origin.pid).filter((pid) => pid !== origin.pid);
    const before = { origin: cpuMs(origin.pid), workers: workers.map(cpuMs) };
    const run = await runLoad(task, { concurrency, requests, first: 1000 });
    const origins = cpuMs(origin.pid) - before.origin;
    const workerMs = workers.reduce(
      (sum, pid, k) => sum + cpuMs(pid) - (before.workers[k] ?? 0),
      0,
    );
    const per = (ms: number) => (ms / requests).toFixed(2);
    const stepText = Object.entries(steps)
      .map(([name, total]) => `${name} ${(total / requests).toFixed(1)}`)
      .join(", ");
    console.log(
      `${id} x${requests} @${concurrency}: origin CPU ${per(origins)} ms/req, workers CPU ${per(workerMs)} ms/req, ` +
        `total ${per(origins + workerMs)}; wall ${((run.seconds * 1000) / requests).toFixed(1)} ms/req; ` +
        `${(bytes / requests / 1024).toFixed(1)} KB; steps ${stepText}`,
    );
  } finally {
    await origin.stop();
    await fixtures.close();
  }
}

await main();
