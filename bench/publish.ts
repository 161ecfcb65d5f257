/**
 * `npm run bench:publish`: from a publish to the first 301 of the new version, through workerd
 * with local D1/R2 and a real origin, against the first 301 of a never-rendered URL of a
 * built-in graph doing the same work (a cold miss) in the same run. Writes bench/results/publish.json.
 * Not a test: figures depend on the machine.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { freshDatabase, startEdge } from "../test/harness/edge.ts";
import { startOrigin } from "../test/harness/origin.ts";
import { percentile } from "./lib/load.ts";
import { benchMachine } from "./lib/machine.ts";

const ROUNDS = 12;
const ORIGIN_SECRET = "bench-origin-secret";
const RESULTS = new URL("results/publish.json", import.meta.url);
const INPUT = "files/gridbear.jpg";

/** A one-node blur; each round publishes another vertical deviation, so another content. */
const blur = (stdDevY: number) => ({
  inports: { input: { process: "blur", port: "input" } },
  outports: { output: { process: "blur", port: "output" } },
  processes: { blur: { component: "gegl/gaussian-blur" } },
  connections: [
    { data: 3, tgt: { process: "blur", port: "std-dev-x" } },
    { data: stdDevY, tgt: { process: "blur", port: "std-dev-y" } },
  ],
});

const persistDir = await freshDatabase();
const origin = await startOrigin({ ORIGIN_SECRET, ALLOW_PRIVATE_INPUTS: "1" });
const edge = await startEdge({ originUrls: [origin.url], originSecret: ORIGIN_SECRET, persistDir });

async function first301(url: string): Promise<void> {
  const response = await fetch(url, { redirect: "manual" });
  if (response.status !== 301) {
    throw new Error(`${url} answered ${response.status}: ${await response.text()}`);
  }
}

const elapsed = async (work: () => Promise<void>) => {
  const start = performance.now();
  await work();
  return performance.now() - start;
};

try {
  const urlOf = (graph: string, extra: string) =>
    `${edge.url}/graph/${graph}.jpg?input=${INPUT}&width=256${extra}`;
  // Warm-up: the isolate, the origin's workers, the input.
  await first301(urlOf("gaussianblur", "&std-dev-x=0.5"));
  const publishes: number[] = [];
  const firstRenders: number[] = [];
  const totals: number[] = [];
  const coldMisses: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    coldMisses.push(
      await elapsed(() => first301(urlOf("gaussianblur", `&std-dev-x=3&std-dev-y=${round}`))),
    );
    const publish = await elapsed(async () => {
      const response = await fetch(`${edge.url}/admin/graphs/benchblur`, {
        method: "PUT",
        headers: { authorization: `Bearer ${edge.adminToken}`, "content-type": "application/json" },
        body: JSON.stringify(blur(round + 0.5)),
      });
      if (response.status !== 201) throw new Error(`publish answered ${response.status}`);
    });
    const render = await elapsed(() => first301(urlOf("benchblur", "")));
    publishes.push(publish);
    firstRenders.push(render);
    totals.push(publish + render);
  }
  const median = (values: number[]) =>
    Number(
      percentile(
        [...values].sort((a, b) => a - b),
        0.5,
      ).toFixed(1),
    );
  const figures = {
    publishMs: median(publishes),
    firstRenderMs: median(firstRenders),
    publishToFirst301Ms: median(totals),
    coldMissMs: median(coldMisses),
  };
  const ratio = figures.publishToFirst301Ms / figures.coldMissMs;
  console.log(`publish bench: ${ROUNDS} rounds, a 256 px blur of ${INPUT}, medians`);
  console.log(`publish (PUT, checked on the origin, stored in D1)   ${figures.publishMs} ms`);
  console.log(`first GET of the new version -> 301 (a render)      ${figures.firstRenderMs} ms`);
  console.log(
    `publish to first 301                                ${figures.publishToFirst301Ms} ms`,
  );
  console.log(`baseline: first 301 of a built-in graph's new URL   ${figures.coldMissMs} ms`);
  console.log(`ratio to baseline: ${ratio.toFixed(2)} (what a publish adds to a cold miss)`);
  await mkdir(new URL("./", RESULTS), { recursive: true });
  const report = {
    date: new Date().toISOString(),
    machine: benchMachine(),
    rounds: ROUNDS,
    results: figures,
    ratio,
  };
  await writeFile(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${fileURLToPath(RESULTS)}`);
} finally {
  await edge.stop();
  await origin.stop();
}
