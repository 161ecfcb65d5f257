import { mkdtempSync, copyFileSync } from "node:fs";
import { writeLargeSource } from "./origin/large-source.ts";
import { startFixtureServer } from "../test/harness/fixture-server.ts";
import { startOrigin } from "../test/harness/origin.ts";
import { processTree } from "./lib/process-memory.ts";
import { parseServerTiming } from "../shared/server-timing.ts";
const [graph = "customgrey", width = "3000", seconds = "20", extra = ""] = process.argv.slice(2);
const fixtures = await startFixtureServer();
fixtures.add("/images/large-source.jpg", await writeLargeSource(mkdtempSync("/tmp/prof/src-")), "image/jpeg");
const origin = await startOrigin({ ALLOW_PRIVATE_INPUTS: "1", INPUT_CACHE_TTL_MS: "5000" });
const large = fixtures.at("images/large-source.jpg");
const src = Number(width) > 400 ? large : fixtures.at("images/grid-toastybob.jpg");
const url = new URL(`graph/${graph}.jpg?input=${encodeURIComponent(src)}&width=${width}${extra}`, origin.url);
const workers = processTree(origin.pid).filter((p) => p !== origin.pid);
console.log("PIDS", origin.pid, workers.join(","));
const end = Date.now() + Number(seconds) * 1000;
const steps: Record<string, number[]> = {};
while (Date.now() < end) {
  if (process.env.GAP_MS) await new Promise((res) => setTimeout(res, Number(process.env.GAP_MS)));
  const r = await fetch(url);
  await r.arrayBuffer();
  if (r.status !== 200) { console.log(r.status); break; }
  for (const e of parseServerTiming(r.headers.get("server-timing") ?? "")) (steps[e.name] ??= []).push(e.durationMs ?? 0);
}
for (const [k, v] of Object.entries(steps)) { v.sort((a, b) => a - b); console.log(k, v[v.length >> 1]?.toFixed(1), v.length); }
await origin.stop(); await fixtures.close();
