import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalogue, CatalogueError, type CatalogueGraph } from "../../shared/catalogue.ts";
import { isImgfloError } from "../../shared/errors.ts";
import type { FbpConnection, FbpGraph } from "../../shared/graph-definition.ts";
import { PARAM_TYPES } from "../../shared/inport-metadata.ts";
import { type ValidatedParams, validateParams } from "../../shared/parameters.ts";
import { Deadline } from "../admission/deadline.ts";
import { renderJob } from "../compile/bound-job.ts";
import {
  type CompiledGraph,
  compileGraph,
  PROPERTY_PARAM_TYPES,
} from "../compile/graph-compiler.ts";
import { WORKER_BINARY } from "../config.ts";
import { GeglPool } from "../worker/gegl-pool.ts";
import type {
  OperationDescriptions,
  PropertyDescription,
} from "../worker/operation-description.ts";
import { encodeFrame, type Frame, FrameReader } from "../worker/protocol.ts";

interface WorkerRun {
  replies: Frame[];
  exitCode: number | null;
}

const WORKER_ENV = { ...process.env, GEGL_THREADS: "1", IMGFLO_WORKER_WARMUP: "0" };
// Far beyond what these tiny requests take even on a loaded machine: only a hang gets there.
const HANG_MS = 30_000;

/** Runs the worker binary on raw stdin bytes, closes stdin, and collects every reply frame. */
function runWorker(input: Buffer, env: Record<string, string> = {}): Promise<WorkerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(WORKER_BINARY, [], {
      env: { ...WORKER_ENV, ...env },
      stdio: ["pipe", "pipe", "ignore"],
    });
    const reader = new FrameReader();
    const replies: Frame[] = [];
    const hung = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the worker hung (no exit within ${HANG_MS} ms)`));
    }, HANG_MS);
    child.stdout.on("data", (chunk: Buffer) => replies.push(...reader.push(chunk)));
    child.stdin.on("error", () => {});
    child.on("error", reject);
    child.on("close", (exitCode) => {
      clearTimeout(hung);
      resolve({ replies, exitCode });
    });
    child.stdin.end(input);
  });
}

const frame = (header: unknown, payload?: Buffer) =>
  Buffer.concat(encodeFrame(header as object, payload));
const ping = frame({ cmd: "ping" });
const u32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
};

const RED = { id: "fill", op: "gegl:color", props: { value: "#ff0000" } };
const BLUE = { id: "fill", op: "gegl:color", props: { value: "#0000ff" } };
const BLUR = { id: "blur", op: "gegl:gaussian-blur", props: { "std-dev-x": "1" } };

/** A two-node render job, framed with its payload; `overrides` change it in one way. */
function renderJobFrame(overrides: Record<string, unknown> = {}, payload?: Buffer) {
  const job = {
    cmd: "render",
    nodes: [RED, BLUR],
    links: [{ from: "fill", from_pad: "output", to: "blur", to_pad: "input" }],
    output: { node: "blur", pad: "output" },
    size: { width: 8, height: 8 },
    max_pixels: 1_000_000,
    ...overrides,
  };
  return frame(job, payload);
}

async function replyTo(request: Buffer) {
  const { replies, exitCode } = await runWorker(Buffer.concat([request, ping]));
  // Request errors leave the worker serving: the ping after it is answered, and EOF exits 0.
  expect(exitCode).toBe(0);
  expect(replies).toHaveLength(2);
  expect(replies[1]?.header).toEqual({ ok: true });
  return replies[0] as Frame;
}

/** The first pixel of a reply: [r, g, b] when it is opaque (sent as RGB), else [r, g, b, a]. */
const firstPixel = (reply: Frame) => [
  ...reply.payload.subarray(0, reply.header.channels as number),
];
const OPAQUE_RED = [255, 0, 0];
const OPAQUE_BLUE = [0, 0, 255];

describe("the GEGL worker binary", () => {
  it("renders a well-formed job and exits 0 at end of input", async () => {
    const reply = await replyTo(renderJobFrame());
    // An opaque result comes as RGB.
    // (and the fast conversions that ran: fast-conversions.test.ts)
    expect(reply.header).toMatchObject({
      ok: true,
      width: 8,
      height: 8,
      channels: 3,
      path: "gegl",
      operations: [],
    });
    expect(reply.payload.length).toBe(8 * 8 * 3);
    expect(firstPixel(reply)).toEqual(OPAQUE_RED);
  });

  // What the origin's compile refuses but GEGL survives: the worker does not look for it.
  it.each([
    [
      "a repeated node id (the later node is the one links name)",
      { nodes: [RED, BLUE, BLUR] },
      OPAQUE_BLUE,
    ],
    [
      "two links into one input pad (GEGL keeps the last)",
      {
        nodes: [RED, { ...BLUE, id: "other" }, BLUR],
        links: [
          { from: "fill", to: "blur" },
          { from: "other", to: "blur" },
        ],
      },
      OPAQUE_BLUE,
    ],
  ])("renders %s without crashing", async (_what, overrides, pixel) => {
    const reply = await replyTo(renderJobFrame(overrides));
    expect(reply.header).toMatchObject({ ok: true, width: 8, height: 8 });
    expect(firstPixel(reply)).toEqual(pixel);
  });

  it("renders the input image and a link into one pad (GEGL keeps the input, attached last)", async () => {
    const input = Buffer.alloc(2 * 2 * 4);
    for (let i = 0; i < input.length; i += 4) input.set([0, 0, 255, 255], i);
    const reply = await replyTo(
      renderJobFrame({ input: { node: "blur", pad: "input", width: 2, height: 2 } }, input),
    );
    expect(reply.header).toMatchObject({ ok: true, width: 8, height: 8 });
    expect(firstPixel(reply)[2]).toBeGreaterThan(0);
    expect(firstPixel(reply)[0]).toBe(0);
  });

  it("puts the input's pixels where input.x and input.y say (a region of a larger image)", async () => {
    const input = Buffer.alloc(2 * 2 * 4);
    for (let i = 0; i < input.length; i += 4) input.set([0, 0, 255, 255], i);
    const crop = {
      id: "crop",
      op: "gegl:crop",
      props: { x: "3", y: "2", width: "2", height: "2" },
    };
    const cropped = (place: Record<string, number>) =>
      replyTo(
        renderJobFrame(
          {
            nodes: [crop],
            links: [],
            input: { node: "crop", pad: "input", width: 2, height: 2, ...place },
            output: { node: "crop", pad: "output" },
            size: undefined,
          },
          input,
        ),
      );
    const placed = await cropped({ x: 3, y: 2 });
    expect(placed.header).toMatchObject({ ok: true, width: 2, height: 2, channels: 3 });
    expect(firstPixel(placed)).toEqual(OPAQUE_BLUE);
    // At (0, 0) the rectangle misses it.
    expect((await cropped({})).header).toMatchObject({ ok: true, channels: 4 });
    expect((await cropped({ x: -1 })).header).toMatchObject({ ok: false, kind: "bad-request" });
  });

  // Each guards the process (a NULL property, a node that is not there, endless recursion on a
  // cycle, a value GEGL cannot hold): an origin bug, answered as a bad request.
  it.each([
    ["a header that is not JSON", Buffer.concat([u32(3), Buffer.from("{x]"), u32(0)])],
    ["a header cut inside a string", Buffer.concat([u32(9), Buffer.from('{"cmd":"r'), u32(0)])],
    ["a header that is not an object", frame([1, 2])],
    ["an unknown command", frame({ cmd: "explode" })],
    ["a render without nodes", renderJobFrame({ nodes: undefined })],
    ["an empty graph", renderJobFrame({ nodes: [], links: [] })],
    ["nodes that are not objects", renderJobFrame({ nodes: ["fill"] })],
    ["a node without an op", renderJobFrame({ nodes: [{ id: "fill" }, BLUR] })],
    ["links that are not an array", renderJobFrame({ links: { from: "fill" } })],
    ["an unknown operation", renderJobFrame({ nodes: [{ ...RED, op: "gegl:nope" }, BLUR] })],
    ["an unknown property", renderJobFrame({ nodes: [RED, { ...BLUR, props: { nope: "1" } }] })],
    [
      "a property value that is an object",
      renderJobFrame({ nodes: [RED, { ...BLUR, props: { "std-dev-x": { v: 1 } } }] }),
    ],
    [
      "an out-of-range value",
      renderJobFrame({ nodes: [RED, { ...BLUR, props: { "std-dev-x": "-5" } }] }),
    ],
    [
      "a boolean that is not canonical",
      renderJobFrame({ nodes: [RED, { ...BLUR, props: { "clip-extent": "1" } }] }),
    ],
    [
      "a colour GEGL cannot parse",
      renderJobFrame({ nodes: [{ ...RED, props: { value: "#12" } }, BLUR] }),
    ],
    ["a link from an unknown node", renderJobFrame({ links: [{ from: "ghost", to: "blur" }] })],
    ["a link to an unknown node", renderJobFrame({ links: [{ from: "fill", to: "ghost" }] })],
    [
      "a link into an unknown pad",
      renderJobFrame({ links: [{ from: "fill", to: "blur", to_pad: "nope" }] }),
    ],
    [
      "a link from an unknown pad",
      renderJobFrame({ links: [{ from: "fill", from_pad: "x", to: "blur" }] }),
    ],
    ["an unknown output node", renderJobFrame({ output: { node: "ghost" } })],
    ["an output pad the node lacks", renderJobFrame({ output: { node: "blur", pad: "aux" } })],
    [
      "a cycle",
      renderJobFrame({
        nodes: [
          { ...BLUR, id: "a" },
          { ...BLUR, id: "b" },
        ],
        links: [
          { from: "a", to: "b" },
          { from: "b", to: "a" },
        ],
        output: { node: "b" },
      }),
    ],
    [
      "a node linked to itself",
      renderJobFrame({ nodes: [BLUR], links: [{ from: "blur", to: "blur" }] }),
    ],
    [
      "an input on an unknown node",
      renderJobFrame({ input: { node: "ghost", width: 1, height: 1 } }, Buffer.alloc(4)),
    ],
    [
      "an input into a pad the node lacks",
      renderJobFrame({ input: { node: "fill", width: 1, height: 1 } }, Buffer.alloc(4)),
    ],
    [
      "an input without a size",
      renderJobFrame({ input: { node: "blur", width: 0, height: 1 } }, Buffer.alloc(0)),
    ],
    [
      "a payload shorter than the input's size",
      renderJobFrame({ input: { node: "blur", width: 2, height: 2 } }, Buffer.alloc(15)),
    ],
    [
      "a payload longer than the input's size",
      renderJobFrame({ input: { node: "blur", width: 2, height: 2 } }, Buffer.alloc(17)),
    ],
    ["a payload without an input", renderJobFrame({}, Buffer.alloc(16))],
    ["a job without max_pixels", renderJobFrame({ max_pixels: undefined })],
    ["a thread count that is not a positive integer", renderJobFrame({ threads: 0.5 })],
  ])("answers %s as a bad request and carries on", async (_what, request) => {
    const reply = await replyTo(request);
    expect(reply.header).toMatchObject({ ok: false, kind: "bad-request" });
    expect(typeof reply.header.error).toBe("string");
    expect(reply.payload.length).toBe(0);
  });

  it("renders on the threads a job asks for, to the same pixels", async () => {
    const one = await replyTo(renderJobFrame({ threads: 1 }));
    const two = await replyTo(renderJobFrame({ threads: 2 }));
    expect(one.header).toMatchObject({ ok: true, width: 8, height: 8, path: "gegl" });
    expect(two.header).toEqual(one.header);
    expect(two.payload.equals(one.payload)).toBe(true);
  });

  it("answers more output than max_pixels as too large", async () => {
    const reply = await replyTo(renderJobFrame({ max_pixels: 10 }));
    expect(reply.header).toMatchObject({ ok: false, kind: "too-large" });
  });

  it.each([
    ["an end inside the header length", Buffer.concat([ping, Buffer.from([9, 0])])],
    ["a truncated header", Buffer.concat([u32(100), Buffer.from("{")])],
    [
      "an end inside the payload length",
      Buffer.concat([u32(2), Buffer.from("{}"), Buffer.from([1])]),
    ],
    [
      "a truncated payload",
      Buffer.concat([frame({ cmd: "ping" }).subarray(0, -4), u32(64), Buffer.alloc(3)]),
    ],
    ["an empty header", Buffer.concat([u32(0), u32(0)])],
    ["a header over 16 MiB", Buffer.concat([u32(16 * 1024 * 1024 + 1), Buffer.alloc(8)])],
  ])("answers %s with a protocol error and exits 1", async (_what, bytes) => {
    const { replies, exitCode } = await runWorker(bytes);
    expect(exitCode).toBe(1);
    expect(replies.at(-1)?.header).toMatchObject({ ok: false, kind: "protocol" });
  });

  it("answers a payload over its limit with a protocol error and exits 1", async () => {
    const request = renderJobFrame(
      { input: { node: "blur", width: 4, height: 4 } },
      Buffer.alloc(64),
    );
    const { replies, exitCode } = await runWorker(request, {
      IMGFLO_WORKER_MAX_PAYLOAD_BYTES: "16",
    });
    expect(exitCode).toBe(1);
    expect(replies.at(-1)?.header).toMatchObject({ ok: false, kind: "protocol" });
  });
  describe("pixel files", () => {
    let dir = "";
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "imgflo-worker-test-"));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    // A 4x2 input with one half-transparent pixel, as sharp writes it for the origin.
    const raw = { width: 4, height: 2, channels: 4 as const };
    const pixels = Buffer.from(Array.from({ length: 32 }, (_, i) => (i === 3 ? 128 : 40 + i * 6)));
    const nop = (files: object, payload?: Buffer) =>
      frame(
        {
          cmd: "render",
          nodes: [{ id: "n", op: "gegl:nop", props: {} }],
          input: { node: "n", width: 4, height: 2 },
          output: { node: "n" },
          max_pixels: 100,
          files,
        },
        payload,
      );
    const inputFile = async (name: string) => {
      const path = join(dir, name);
      await sharp(pixels, { raw }).toFile(path);
      return path;
    };

    it("reads the input from a .v file and writes the result to one", async () => {
      const input = await inputFile("in.v");
      const output = join(dir, "out.v");
      const reply = await replyTo(nop({ input, output }));
      expect(reply.header).toEqual({
        ok: true,
        width: 4,
        height: 2,
        channels: 4,
        path: "gegl",
        operations: [],
        file: true,
      });
      expect(reply.payload.length).toBe(0);
      const { data, info } = await sharp(output).raw().toBuffer({ resolveWithObject: true });
      expect(info).toMatchObject({ width: 4, height: 2, channels: 4 });
      expect([...data]).toEqual([...pixels]);
    });

    it("sends the result as the payload when its file cannot be written", async () => {
      const input = await inputFile("in2.v");
      const reply = await replyTo(nop({ input, output: join(dir, "missing", "out.v") }));
      expect(reply.header).toEqual({
        ok: true,
        width: 4,
        height: 2,
        channels: 4,
        path: "gegl",
        operations: [],
      });
      expect([...reply.payload]).toEqual([...pixels]);
    });

    it("writes an opaque result as RGB", async () => {
      const output = join(dir, "opaque.v");
      const reply = await replyTo(renderJobFrame({ files: { output } }));
      expect(reply.header).toMatchObject({ ok: true, channels: 3, file: true });
      const { data, info } = await sharp(output).raw().toBuffer({ resolveWithObject: true });
      expect(info).toMatchObject({ width: 8, height: 8, channels: 3 });
      expect((await replyTo(renderJobFrame())).payload.equals(data)).toBe(true);
    });

    it.each([
      ["a missing input file", async () => join(dir, "nope.v"), /Cannot open/],
      [
        "an input file that is not .v",
        async () => {
          const path = join(dir, "not.v");
          await writeFile(path, Buffer.alloc(200));
          return path;
        },
        /not a libvips \.v file/,
      ],
      [
        "a truncated input file",
        async () => {
          const path = join(dir, "short.v");
          await writeFile(path, (await readFile(await inputFile("full.v"))).subarray(0, 70));
          return path;
        },
        /shorter than/,
      ],
      [
        "a 3-band input file",
        async () => {
          const path = join(dir, "rgb.v");
          await sharp(pixels, { raw }).removeAlpha().toFile(path);
          return path;
        },
        /4 uncoded 8-bit bands/,
      ],
      ["a relative path", async () => "in.v", /absolute path/],
    ])("answers %s with bad-request", async (_what, path, error) => {
      const reply = await replyTo(nop({ input: await path() }));
      expect(reply.header).toMatchObject({ ok: false, kind: "bad-request" });
      expect(String(reply.header.error)).toMatch(error);
    });

    it("refuses an input file and a payload together", async () => {
      const input = await inputFile("in3.v");
      const request = nop({ input }, pixels);
      expect((await replyTo(request)).header).toMatchObject({ ok: false, kind: "bad-request" });
    });
  });
});

// Operations the random graphs are made of: generators, filters (one a meta-operation), composers.
const OPERATIONS = [
  "gegl:color",
  "gegl:checkerboard",
  "gegl:nop",
  "gegl:gaussian-blur",
  "gegl:invert-linear",
  "gegl:opacity",
  "gegl:crop",
  "gegl:over",
];
// Values that fit each property type (small numbers: a huge blur radius on an infinite
// generator is slow, not wrong).
const FITTING: Record<string, unknown[]> = {
  double: ["0", "1", "2.5", " 3 ", 0.5],
  int: ["1", "2", 3],
  boolean: ["true", "yes", true, "off"],
  color: ["#ff8800", "rgb(10, 20, 30)", "#0008"],
  string: ["text"],
};
const fitting = (property: PropertyDescription): unknown[] =>
  property.type === "enum" ? (property.values ?? []) : (FITTING[property.type] ?? []);
// Values that are malformed, out of range or of another type.
const ODD = ["-5", "1e400", "abc", "", "white", "mirror", "2.5", "true", 7];
/** Mostly the first, sometimes the second. */
const mostly = <T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: usual, weight: 12 }, { arbitrary: odd, weight: 1 });

/**
 * A random FBP graph over OPERATIONS, mostly well-formed but with every kind of mistake now and
 * then: cycles and self-links, pads fed twice, unknown pads and properties, values GEGL refuses,
 * an exported parameter whose metadata does not fit the property; with a value for it.
 */
function randomGraph(descriptions: OperationDescriptions) {
  const properties = (op: string) => Object.entries(descriptions[op]?.properties ?? {});
  const inputPads = (op: string) => descriptions[op]?.input_pads ?? [];
  return (
    fc
      .array(fc.constantFrom(...OPERATIONS), { minLength: 1, maxLength: 5 })
      // Generators first, so that forward edges mostly end at a node with input pads.
      .map((ops) => ops.sort((a, b) => inputPads(a).length - inputPads(b).length))
      .chain((ops) => {
        const node = fc.nat({ max: ops.length - 1 });
        // Edges mostly end at a node with input pads and run forwards (a DAG); a backward one
        // may close a cycle.
        const receivers = ops.flatMap((op, index) => (inputPads(op).length > 0 ? [index] : []));
        const edge = (
          receivers.length > 0 ? mostly(fc.constantFrom(...receivers), node) : node
        ).chain((to) =>
          fc.record({
            from: to > 0 ? mostly(fc.nat({ max: to - 1 }), node) : node,
            to: fc.constant(to),
          }),
        );
        const oddPad = fc.constantFrom("nope", "output", "aux");
        /** Mostly one of the node's input pads. */
        const padOf = (index: number) => {
          const pads = inputPads(ops[index] as string);
          return pads.length > 0 ? mostly(fc.constantFrom(...pads), oddPad) : oddPad;
        };
        const withProperties = ops.flatMap((op, index) =>
          properties(op).length > 0 ? [index] : [],
        );
        const target =
          withProperties.length > 0 ? mostly(fc.constantFrom(...withProperties), node) : node;
        const initial = target.chain((index) => {
          const op = ops[index] as string;
          const settable = properties(op).filter(([, p]) => p.type !== "other");
          const fits = settable.map(([name, p]) =>
            fc.record({
              port: fc.constant(name),
              data: fc.constantFrom(...fitting(p)),
            }),
          );
          const odd = fc.record({
            port: fc.constantFrom("nope", ...properties(op).map(([name]) => name)),
            data: fc.constantFrom(...ODD),
          });
          const data = fits.length > 0 ? mostly(fc.oneof(...fits), odd) : odd;
          return data.map((value) => ({ index, ...value }));
        });
        // An inport "p" on a property, its metadata mostly GEGL's type within GEGL's bounds.
        const parameter = target.chain((index) => {
          const settable = properties(ops[index] as string).filter(([, p]) => p.type !== "other");
          if (settable.length === 0) return fc.constant(null);
          return fc.constantFrom(...settable).chain(([port, p]) =>
            fc.record({
              index: fc.constant(index),
              port: fc.constant(port),
              metadata: fc.record(
                {
                  type: mostly(
                    fc.constant(PROPERTY_PARAM_TYPES[p.type]),
                    fc.constantFrom(...PARAM_TYPES),
                  ),
                  minimum: fc.constantFrom(p.minimum, undefined, 0, -5),
                  maximum: fc.constantFrom(p.maximum, undefined, 10, 1e6),
                  values: fc.constantFrom(p.values, p.values && [...p.values, "mirror"]),
                },
                { requiredKeys: ["type"] },
              ),
              text: fc.oneof(fc.constantFrom(...fitting(p)), fc.constantFrom(...ODD)).map(String),
            }),
          );
        });
        return fc.record({
          ops: fc.constant(ops),
          edges: fc.array(
            edge.chain((link) =>
              fc.record({
                link: fc.constant(link),
                fromPad: mostly(fc.constant("output"), fc.constant("nope")),
                toPad: padOf(link.to),
              }),
            ),
            { maxLength: 4 },
          ),
          initials: fc.array(initial, { maxLength: 4 }),
          input: fc.option(
            node.chain((index) => fc.record({ node: fc.constant(index), pad: padOf(index) })),
          ),
          output: node,
          parameter: fc.option(parameter),
        });
      })
      .map(({ ops, edges, initials, input, output, parameter }) => {
        const id = (index: number) => `n${index}`;
        const connections: FbpConnection[] = [
          ...edges.map(({ link, fromPad, toPad }) => ({
            src: { process: id(link.from), port: fromPad },
            tgt: { process: id(link.to), port: toPad },
          })),
          ...initials.map((i) => ({ data: i.data, tgt: { process: id(i.index), port: i.port } })),
        ];
        const inports: NonNullable<FbpGraph["inports"]> = {};
        if (input) inports.input = { process: id(input.node), port: input.pad };
        if (parameter) {
          inports.p = {
            process: id(parameter.index),
            port: parameter.port,
            metadata: parameter.metadata,
          };
        }
        const definition: FbpGraph = {
          processes: Object.fromEntries(
            ops.map((op, index) => [id(index), { component: op.replace(":", "/") }]),
          ),
          connections,
          inports,
          outports: { output: { process: id(output), port: "output" } },
        };
        const values: Record<string, string> = parameter ? { p: parameter.text } : {};
        return { definition, values };
      })
  );
}

describe("the worker accepts every graph the TypeScript compile accepts", () => {
  let pool: GeglPool;
  let descriptions: OperationDescriptions;

  beforeAll(async () => {
    pool = await GeglPool.start({
      size: 1,
      binary: WORKER_BINARY,
      env: WORKER_ENV as Record<string, string>,
      startTimeoutMs: HANG_MS,
      log: () => {},
    });
    descriptions = (await pool.describe(OPERATIONS, HANG_MS)).operations;
  }, HANG_MS);

  afterAll(() => pool?.close());

  it("renders each random graph the compile accepts", { timeout: 120_000 }, async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(randomGraph(descriptions), async ({ definition, values }) => {
        let graph: CatalogueGraph;
        let compiled: CompiledGraph;
        let params: ValidatedParams;
        try {
          graph = buildCatalogue([{ name: "random", definition }]).get("random") as CatalogueGraph;
          compiled = compileGraph(graph, descriptions);
          params = validateParams(graph, { input: "files/x.png", ...values });
        } catch (error) {
          // Refused with a message for the graph's author or the request's: not the worker's.
          if (error instanceof CatalogueError || isImgfloError(error)) return;
          throw error;
        }
        accepted++;
        const size = { width: 4, height: 4 };
        const input = graph.input ? { ...size, pixels: Buffer.alloc(4 * 4 * 4, 0x80) } : null;
        const job = renderJob(compiled, params.values, {
          input: input && size,
          output: size,
          maxPixels: 1e6,
          operationSwaps: true,
        });
        const result = await pool.render(job, input, new Deadline(HANG_MS));
        expect(result).toMatchObject(size);
      }),
      { numRuns: 800, seed: 9 },
    );
    // Enough of the random graphs get through for the property to say something.
    expect(accepted).toBeGreaterThan(50);
  });
});
