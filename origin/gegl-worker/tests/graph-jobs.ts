import { readFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { expect } from "vitest";
import { FIXTURE_IMAGES_DIR } from "../../../test/harness/fixture-server.ts";
import { noise } from "../../../test/harness/noise-pixels.ts";
import { Deadline } from "../../admission/deadline.ts";
import type { JobLink, JobNode } from "../../worker/render-job.ts";
import type { WorkerProcess } from "../../worker/worker-process.ts";

/** A graph as the tests of the worker's own paths send it: the input feeds its first node. */
export interface TestGraph {
  name: string;
  nodes: JobNode[];
  links: JobLink[];
}

/** An image the graphs render from. */
export interface Source {
  label: string;
  pixels: Buffer;
  width: number;
  height: number;
}

export const node = (id: string, op: string, props: Record<string, string> = {}): JobNode => ({
  id,
  op,
  props,
});

export const link = (from: string, to: string, to_pad = "input"): JobLink => ({
  from,
  from_pad: "output",
  to,
  to_pad,
});

/** The grid photo at a width: a source of few distinct colours, as photos are. */
export async function photo(width: number): Promise<Source> {
  const { data, info } = await sharp(readFileSync(join(FIXTURE_IMAGES_DIR, "grid-toastybob.jpg")))
    .resize({ width })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { label: "a photo", pixels: data, width: info.width, height: info.height };
}

/**
 * The sources the tests of the worker's own paths render from: a single pixel, noise with every
 * kind of alpha, opaque noise, and a photo (few distinct colours).
 */
export async function testSources(): Promise<Source[]> {
  return [
    { label: "1x1", pixels: noise(1, 1, 3), width: 1, height: 1 },
    { label: "129x65 noise with alpha", pixels: noise(129, 65, 5), width: 129, height: 65 },
    { label: "300x257 opaque noise", pixels: noise(300, 257, 7, true), width: 300, height: 257 },
    await photo(400),
  ];
}

/** Renders `graph` on `source`: its first node takes the input, its last is the output. */
export function renderGraph(
  worker: WorkerProcess,
  graph: TestGraph,
  source: Source,
  threads: number,
) {
  const first = graph.nodes.find((n) => !graph.links.some((l) => l.to === n.id)) as JobNode;
  const last = graph.nodes.find((n) => !graph.links.some((l) => l.from === n.id)) as JobNode;
  const job = {
    cmd: "render",
    nodes: graph.nodes,
    links: graph.links,
    input: { node: first.id, pad: "input", width: source.width, height: source.height },
    output: { node: last.id, pad: "output" },
    max_pixels: 100_000_000,
    threads,
  };
  return worker.request(job, source.pixels, new Deadline(60_000));
}

/**
 * Renders `graph` on every source with a worker's own path (`own`) and with GEGL's (`gegl`), and
 * expects GEGL's bytes, with `operation` named in the reply where `ran` says it renders, and never
 * in GEGL's.
 */
export async function expectGeglBytes(
  workers: { own: WorkerProcess; gegl: WorkerProcess },
  graph: TestGraph,
  sources: readonly Source[],
  threads: number,
  { operation, ran }: { operation: string; ran: boolean },
): Promise<void> {
  for (const source of sources) {
    const [own, gegl] = await Promise.all([
      renderGraph(workers.own, graph, source, threads),
      renderGraph(workers.gegl, graph, source, threads),
    ]);
    expect(gegl.header).toMatchObject({ ok: true });
    expect(gegl.header.operations).not.toContain(operation);
    expect(own.header.ok, source.label).toBe(true);
    expect((own.header.operations as string[]).includes(operation), source.label).toBe(ran);
    expect(own.payload.equals(gegl.payload), source.label).toBe(true);
  }
}
