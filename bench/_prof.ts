import { readFileSync } from "node:fs";
import { startFixtureServer } from "../test/harness/fixture-server.ts";
import { startOrigin } from "../test/harness/origin.ts";
import { writeLargeSource } from "./origin/large-source.ts";

const [graph = "gaussianblur", width = "3000", secs = "10", extra = ""] = process.argv.slice(2);
const fixtures = await startFixtureServer();
const bytes = await writeLargeSource("/tmp/large");
fixtures.add("/large.jpg", bytes, "image/jpeg");
const origin = await startOrigin({ ALLOW_PRIVATE_INPUTS: "1", INPUT_CACHE_TTL_MS: "600000" });
const base = origin.url.replace(/\/$/, "");
const input = encodeURIComponent(fixtures.at("large.jpg"));
const grid = encodeURIComponent(fixtures.at("images/grid-toastybob.jpg"));
function cpu(workersOnly = false): number {
  let total = 0;
  const kids = readFileSync(`/proc/${origin.pid}/task/${origin.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
  for (const pid of workersOnly ? kids : [String(origin.pid), ...kids]) {
    try { const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" "); total += Number(f[11]) + Number(f[12]); } catch {}
  }
  return total * 10;
}
const steps: Record<string, number[]> = {};
const lat: number[] = [];
try {
  const end = Date.now() + Number(secs) * 1000;
  let i = 0; let c0 = 0; let w0 = 0;
  for (; Date.now() < end || i < 3; i++) {
    if (i === 1) { c0 = cpu(); w0 = cpu(true); }
    const t = performance.now();
    const r = await fetch(`${base}/graph/${graph}.jpg?input=${input}&width=${Number(width) - (i % 16)}${extra.replaceAll("@GRID@", grid)}`);
    await r.arrayBuffer();
    if (i === 0) continue;
    lat.push(performance.now() - t);
    for (const m of (r.headers.get("server-timing") ?? "").split(",")) {
      const [name, dur] = m.trim().split(";dur=");
      (steps[name] ??= []).push(Number(dur));
    }
    if (r.status !== 200) console.log(r.status, await r.text());
  }
  const med = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  console.log(graph, width, "n", i - 1, "p50", med(lat).toFixed(1), "cpu/req", ((cpu() - c0) / (i - 1)).toFixed(0), "worker/req", ((cpu(true) - w0) / (i - 1)).toFixed(0),
    Object.entries(steps).map(([k, v]) => `${k}=${med(v).toFixed(1)}`).join(" "));
} finally {
  if (process.env.MEMO_DEBUG) console.log(origin.output().split("\n").filter((l) => l.includes("memo ")).slice(-6).join("\n"));
await origin.stop();
  await fixtures.close();
}
