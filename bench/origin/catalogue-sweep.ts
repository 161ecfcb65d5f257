/**
 * The catalogue sweep of `bench:origin`: every graph of `graphs/` at three sizes (a thumbnail of
 * the grid photo, about 1.5 MP and about 12 MP from the 12 MP large source), each beside ipx's
 * nearest single operation (nearest-operation.ts) on the same input to the same output size, at
 * concurrency 1 (latency) and 2 (throughput). `BENCH_SWEEP=quick` (the default) sends few requests
 * per cell, `full` more, `off` skips it; `BENCH_GRAPHS=a,b` limits it to some graphs.
 */

import { readGraphSources } from "../../origin/graph-files.ts";
import { DEFAULT_QUALITY } from "../../origin/steps/encode.ts";
import { INPUT_PORT } from "../../shared/catalogue.ts";
import { parseGraphSources } from "../../shared/graph-source.ts";
import { IMAGE_TYPE } from "../../shared/inport-metadata.ts";
import { GRID } from "../lib/workload-paths.ts";
import { LARGE_SOURCE, LARGE_SOURCE_WIDTH } from "./large-source.ts";
import { nearestOperation } from "./nearest-operation.ts";
import { compare, httpSide, type Measurement, type Side } from "./sides.ts";

export type SweepMode = "quick" | "full";

interface SweepSize {
  id: string;
  source: string;
  /** Output width of request 0; later requests are a pixel or a few narrower. */
  width: number;
  /** Requests per client at concurrency 1 and 2 in quick mode; full sends three times as many. */
  requests: [number, number];
}

const SIZES: SweepSize[] = [
  { id: "thumbnail", source: GRID, width: 300, requests: [4, 3] },
  // 1060 x 1413 and 3000 x 4000 of the 3:4 large source.
  { id: "1.5MP", source: LARGE_SOURCE, width: 1060, requests: [2, 2] },
  { id: "12MP", source: LARGE_SOURCE, width: LARGE_SOURCE_WIDTH, requests: [2, 1] },
];
const CONCURRENCIES = [1, 2] as const;
// Widths vary so that no two requests in flight share a render (the origin would share it).
const WIDTH_VARIANTS = 16;
const widthOf = (size: SweepSize, index: number) => size.width - (index % WIDTH_VARIANTS);

export interface SweepMeasurement extends Measurement {
  /** Requests that did not answer 200, and the first answer of them. */
  failures: number;
  firstFailure?: string;
}

export interface SweepRow {
  graph: string;
  size: string;
  nearest: string;
  /** The graph's processes that are not gegl/nop: 2 or more make it a multi-node graph. */
  effectNodes: number;
  concurrency: number;
  origin: SweepMeasurement;
  ipx: SweepMeasurement;
  /** Origin requests/s over ipx's. */
  ratioToIpx: number;
}

export interface SweepServers {
  origin: { url: string; pids: () => number[] };
  ipx: { url: string; pids: () => number[] };
  /** The encoded URL of an image the fixture server serves, as the origin fetches it. */
  input: (name: string) => string;
}

/** A side whose failed requests are counted rather than stopping the sweep. */
function tolerant(side: Side): { side: Side; failures: string[] } {
  const failures: string[] = [];
  const task = async (index: number) => {
    try {
      await side.task(index);
    } catch (error) {
      failures.push((error as Error).message.replace(/^\S+: /, "").slice(0, 160));
    }
  };
  return { side: { ...side, task }, failures };
}

const withFailures = (measurement: Measurement, failures: string[]): SweepMeasurement => ({
  ...measurement,
  failures: failures.length,
  ...(failures[0] !== undefined ? { firstFailure: failures[0] } : {}),
});

export function sweepMode(value = process.env.BENCH_SWEEP ?? "quick"): SweepMode | null {
  if (value === "off") return null;
  if (value === "quick" || value === "full") return value;
  throw new Error(`BENCH_SWEEP must be quick, full or off, not ${value}`);
}

export async function runSweep(
  servers: SweepServers,
  mode: SweepMode,
  only = process.env.BENCH_GRAPHS?.split(","),
): Promise<SweepRow[]> {
  const graphs = parseGraphSources(await readGraphSources()).filter(
    (graph) => !only || only.includes(graph.name),
  );
  const scale = mode === "full" ? 3 : 1;
  const rows: SweepRow[] = [];
  for (const graph of graphs) {
    const nearest = nearestOperation(graph.definition);
    const effectNodes = Object.values(graph.definition.processes ?? {}).filter(
      ({ component }) => component !== "gegl/nop",
    ).length;
    // Each image inport besides the input (an overlay) gets the grid photo.
    const images = Object.entries(graph.definition.inports ?? {})
      .filter(([name, inport]) => name !== INPUT_PORT && inport.metadata?.type === IMAGE_TYPE)
      .map(([name]) => `&${name}=${servers.input(GRID)}`)
      .join("");
    const ipxModifiers = [...nearest.modifiers, "f_jpeg", `q_${DEFAULT_QUALITY.jpeg}`];
    for (const size of SIZES) {
      const originPath = (i: number) =>
        `graph/${graph.name}.jpg?input=${servers.input(size.source)}&width=${widthOf(size, i)}${images}`;
      const ipxPath = (i: number) =>
        `${[`w_${widthOf(size, i)}`, ...ipxModifiers].join(",")}/${size.source}`;
      for (const [k, concurrency] of CONCURRENCIES.entries()) {
        const requests = size.requests[k] as number;
        const origin = tolerant(
          httpSide(servers.origin.url, originPath, requests * scale, servers.origin.pids),
        );
        const ipx = tolerant(
          httpSide(servers.ipx.url, ipxPath, requests * scale, servers.ipx.pids),
        );
        const [ours, theirs] = (await compare([origin.side, ipx.side], {
          concurrency,
          rounds: mode === "full" ? 2 : 1,
          // Every cell is measured warm, on both sides: the first request of a graph compiles
          // it, and the first at a size (at concurrency 2, the second worker's first) grows the
          // heap that later ones reuse; with 1-4 requests a cell, those dominated its p50.
          warmup: 1,
          first: concurrency * 100,
        })) as [Measurement, Measurement];
        const row: SweepRow = {
          graph: graph.name,
          size: size.id,
          nearest: nearest.label,
          effectNodes,
          concurrency,
          origin: withFailures(ours, origin.failures),
          ipx: withFailures(theirs, ipx.failures),
          ratioToIpx: ours.perSecond / theirs.perSecond,
        };
        rows.push(row);
        console.error(
          `sweep ${graph.name} ${size.id} @${concurrency}: origin p50 ${ours.p50Ms.toFixed(0)} ms, ` +
            `ipx (${nearest.label}) ${theirs.p50Ms.toFixed(0)} ms, ${row.ratioToIpx.toFixed(2)}x` +
            (origin.failures.length > 0
              ? `, ${origin.failures.length} failed: ${origin.failures[0]}`
              : ""),
        );
      }
    }
  }
  return rows;
}
