import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCProgram } from "../../test/harness/c-program.ts";
import { FIXTURE_IMAGES_DIR } from "../../test/harness/fixture-server.ts";
import { Deadline } from "../admission/deadline.ts";
import type { WorkerProcess } from "../worker/worker-process.ts";
import { startWorker } from "./tests/worker.ts";

/**
 * fast-conversions.c registers babl conversions through sRGB's curve computed many values at a
 * time (srgb-trc.c). They must give babl's own bits: srgb-trc-scan compares the curve with the
 * function babl calls, fast-conversions-compare each conversion with babl's fish for the same
 * formats, and a worker's reply must show that they ran.
 */

const HERE = import.meta.dirname;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "fast-conversions-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Builds tests/<name>.c with the worker's `sources` as a program in the test's directory. */
function build(name: string, sources: string[]): string {
  return buildCProgram({
    dir,
    name,
    sources: [join(HERE, `tests/${name}.c`), ...sources.map((s) => join(HERE, s))],
    packages: ["gegl-0.4", "json-glib-1.0"],
    flags: ["-fno-math-errno"],
  });
}

describe("srgb-trc.c", () => {
  let scan: string;

  beforeAll(() => {
    scan = build("srgb-trc-scan", ["srgb-trc.c"]);
  }, 60_000);

  // The whole range of 2^32 floats takes minutes (`srgb-trc-scan` without arguments, see the
  // README); here: every float from 2^-9 to 1.125 (both curves' whole working range), and every
  // float from 2^127 through infinity, the NaNs and -0 to the smallest negatives.
  it.each([
    ["3b000000", "3f900000"],
    ["7f000000", "80100000"],
  ])(
    "gives babl's bits for every float from %s to %s",
    (first, last) => {
      const run = spawnSync(scan, [first, last], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      const counts = run.stdout.trim().split("\n");
      expect(counts).toHaveLength(2);
      const expected = Number.parseInt(last, 16) - Number.parseInt(first, 16) + 1;
      for (const line of counts) expect(line.split(" ").slice(1)).toEqual([String(expected), "0"]);
      expect(run.status).toBe(0);
    },
    120_000,
  );
});

/** tests/fast-conversions-compare.c with the conversions it compares. */
function buildCompare(): string {
  return build("fast-conversions-compare", [
    "fast-conversions.c",
    "srgb-trc.c",
    "sse2-float-curve.c",
    "diag.c",
  ]);
}

/** A photograph with alpha from opaque to transparent across it. */
async function photo(width: number, height: number): Promise<Buffer> {
  const pixels = await sharp(join(FIXTURE_IMAGES_DIR, "mountains.png"))
    .resize(width, height, { fit: "fill" })
    .ensureAlpha()
    .raw()
    .toBuffer();
  for (let i = 0; i < width * height; i++)
    pixels[i * 4 + 3] = Math.round((255 * (i % width)) / width);
  return pixels;
}

/** halodarken's shape: a grey, faded blur colour-dodged with the image in sRGB (svg ops' srgb). */
function dodgeJob(width: number, height: number, dodge: string) {
  return {
    cmd: "render",
    nodes: [
      { id: "in", op: "gegl:nop", props: {} },
      { id: "blur", op: "gegl:gaussian-blur", props: { "std-dev-x": "3", "std-dev-y": "3" } },
      { id: "fade", op: "gegl:opacity", props: { value: "0.7" } },
      { id: "gray", op: "gegl:gray", props: {} },
      { id: "dodge", op: dodge, props: { srgb: "true" } },
    ],
    links: [
      { from: "in", to: "blur" },
      { from: "blur", to: "fade" },
      { from: "fade", to: "gray" },
      { from: "gray", to: "dodge", to_pad: "aux" },
      { from: "in", to: "dodge" },
    ],
    input: { node: "in", width, height },
    output: { node: "dodge" },
    max_pixels: 100_000_000,
  };
}

/** The fast conversions that do a chain of babl's conversions in one. */
const CHAINED = [
  ["R'G'B'A u16", "RaGaBaA float"],
  ["R'G'B'A u16", "R'aG'aB'aA float"],
  ["RaGaBaA float", "R'aG'aB'aA float"],
  ["R'aG'aB'aA float", "R'G'B'A u16"],
  ["YA float", "R~aG~aB~aA float"],
  ["R'G'B'A u16", "R~aG~aB~aA float"],
  ["RaGaBaA float", "R'G'B'A u8"],
];

/** GEGL's conversions of whole images between its own nodes: no point chain, no swapped blur. */
const GEGL_NODES = { IMGFLO_WORKER_POINT_CHAINS: "0", IMGFLO_WORKER_DIRECT: "0" };

describe("the fast conversions", () => {
  let worker: WorkerProcess;

  beforeAll(async () => {
    worker = await startWorker(GEGL_NODES);
  }, 120_000);

  afterAll(async () => {
    await worker?.close();
  });

  it("give the bytes of babl's own fish for the same formats", () => {
    // A babl cache of this process's own, so that it measures babl's chains afresh, but for the
    // chains a fast conversion does in one: babl's fish is that chain (`pin`).
    const compare = buildCompare();
    const cacheHome = join(dir, "cache");
    const env = { ...process.env, XDG_CACHE_HOME: cacheHome };
    const extensions = join(
      execFileSync("pkg-config", ["--variable=libdir", "babl"], { encoding: "utf8" }).trim(),
      "babl-0.1",
    );
    expect(spawnSync(compare, ["pin", extensions], { env }).status).toBe(0);
    const run = spawnSync(compare, [], { encoding: "utf8", env });
    const lines = run.stdout.trim().split("\n");
    expect(lines).toHaveLength(11);
    for (const line of lines) expect(line).toMatch(/ 1048576 0$/);
    expect(run.status).toBe(0);
    // The pinned chains converted the pixels: babl used them rather than chains it timed.
    const pinned = readFileSync(join(cacheHome, "babl", "babl-fishes"), "utf8").split("----");
    const chained = pinned.filter((entry) => entry.includes(`\t${extensions}/`));
    for (const [source, destination] of CHAINED) {
      const entry = chained.find((e) => e.includes(`\n${source}\n${destination}\n\tpixels=`));
      expect(Number(entry?.match(/pixels=(\d+)/)?.[1])).toBeGreaterThan(1_000_000);
    }
  }, 120_000);

  it("give babl's u8 for the encoded colours of their table (0 to 2)", () => {
    const compare = buildCompare();
    const env = { ...process.env, XDG_CACHE_HOME: join(dir, "cache-scan") };
    const run = spawnSync(compare, ["scan"], { encoding: "utf8", env });
    // Every float from 2^-24 under 2^-9 to 2, and the 2^20 smallest (the table's 0s).
    expect(run.stdout.trim()).toBe(`${0x40000000 - 0x3b000000 + 2 ** 24 + 2 ** 20} 0`);
    // The table was filled (else every colour went through the curves).
    expect(run.stderr).not.toContain("u8 table");
    expect(run.status).toBe(0);
  }, 120_000);

  it.each(["svg:color-dodge", "svg:overlay", "svg:screen"])(
    "render %s in sRGB, and the reply says that they ran",
    async (dodge) => {
      const [width, height] = [301, 203];
      const reply = await worker.request(
        dodgeJob(width, height, dodge),
        await photo(width, height),
        new Deadline(60_000),
      );
      // More pixels than the image's: babl's own trials of a conversion (a few thousand) cannot pass.
      const conversions = (reply.header.conversions ?? {}) as Record<string, number>;
      const names = [
        "YA float to R~aG~aB~aA float",
        "R'G'B'A u16 to R~aG~aB~aA float",
        "R~aG~aB~aA float to R'G'B'A u8",
      ];
      for (const name of names) expect(conversions[name]).toBeGreaterThanOrEqual(width * height);
      expect(reply.header).toEqual({
        ok: true,
        width,
        height,
        channels: 4,
        path: "gegl",
        conversions,
        operations: [],
      });
    },
    60_000,
  );

  it("convert a linear operation's result to the wire, and the reply says so", async () => {
    const [width, height] = [257, 130];
    const job = {
      cmd: "render",
      nodes: [
        { id: "in", op: "gegl:nop", props: {} },
        { id: "blur", op: "gegl:gaussian-blur", props: { "std-dev-x": "2", "std-dev-y": "2" } },
      ],
      links: [{ from: "in", to: "blur" }],
      input: { node: "in", width, height },
      output: { node: "blur" },
      max_pixels: 100_000_000,
    };
    const reply = await worker.request(job, await photo(width, height), new Deadline(60_000));
    const conversions = (reply.header.conversions ?? {}) as Record<string, number>;
    expect(conversions["RaGaBaA float to R'G'B'A u8"]).toBeGreaterThanOrEqual(width * height);
  }, 60_000);

  it("take over the cached steps of their formats that babl had timed another conversion for", async () => {
    // babl picks between conversions of the same formats by timing; what it cached stayed.
    const cacheHome = join(dir, "cache-taken-over");
    const fishes = join(cacheHome, "imgflo-gegl-worker", "fast", "babl", "babl-fishes");
    const [width, height] = [64, 48];
    const log: string[] = [];
    const render = async () => {
      const worker = await startWorker({ ...GEGL_NODES, XDG_CACHE_HOME: cacheHome }, (line) =>
        log.push(line),
      );
      try {
        return await worker.request(
          dodgeJob(width, height, "svg:screen"),
          await photo(width, height),
          new Deadline(60_000),
        );
      } finally {
        await worker.close(); // babl writes its cache at exit
      }
    };
    await render();
    const FORMATS = ["R'G'B'A u16 to R~aG~aB~aA float", "R~aG~aB~aA float to R'G'B'A u8"];
    const other = (formats: string) => `\t/usr/lib/babl-0.1/another.so 0: ${formats}`;
    const written = readFileSync(fishes, "utf8").split("\n");
    const timedOther = written.map((line) => {
      const formats = FORMATS.find((name) => line.startsWith("\t") && line.endsWith(`: ${name}`));
      return formats ? other(formats) : line;
    });
    expect(timedOther).not.toEqual(written);
    // A chain of other conversions between the formats of one that does a chain in one.
    const chain = `R'G'B'A u16\nRaGaBaA float\n`;
    const entries = timedOther.join("\n").split("----\n");
    const at = entries.findIndex(
      (entry) => entry.includes(`\n${chain}`) || entry.startsWith(chain),
    );
    expect(at).toBeGreaterThanOrEqual(0);
    const steps = [other("R'G'B'A u16 to R'G'B'A float"), other("R'G'B'A float to RaGaBaA float")];
    const isStep = (line: string) => line.startsWith("\t") && !line.includes("=");
    const kept = (entries[at] as string).split("\n").filter((line) => line && !isStep(line));
    entries[at] = `${[...kept, ...steps].join("\n")}\n`;
    writeFileSync(fishes, entries.join("----\n"));

    log.length = 0;
    const reply = await render();
    const cache = readFileSync(fishes, "utf8");
    expect(log).toContainEqual(
      expect.stringMatching(/fast conversions: [1-9]\d* cached steps now theirs/),
    );
    for (const formats of FORMATS) expect(cache).not.toContain(other(formats));
    expect(cache).toMatch(/imgflo-fast-conversions\.so 0: R'G'B'A u16 to R~aG~aB~aA float/);
    expect(cache).not.toContain(other("R'G'B'A float to RaGaBaA float"));
    expect(cache).toMatch(/imgflo-fast-conversions\.so 0: R'G'B'A u16 to RaGaBaA float/);
    const conversions = (reply.header.conversions ?? {}) as Record<string, number>;
    for (const formats of [...FORMATS, "R'G'B'A u16 to RaGaBaA float"])
      expect(conversions[formats]).toBeGreaterThanOrEqual(width * height);
  }, 120_000);
});
