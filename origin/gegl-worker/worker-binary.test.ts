import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WORKER_BINARY } from "../config.ts";
import { encodeFrame, type Frame, FrameReader } from "../render/worker-protocol.ts";

interface WorkerRun {
  replies: Frame[];
  exitCode: number | null;
}

/** Runs the worker binary on raw stdin bytes, closes stdin, and collects every reply frame. */
function runWorker(input: Buffer): Promise<WorkerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(WORKER_BINARY, [], {
      env: { ...process.env, GEGL_THREADS: "1", IMGFLO_WORKER_WARMUP: "0" },
      stdio: ["pipe", "pipe", "ignore"],
    });
    const reader = new FrameReader();
    const replies: Frame[] = [];
    child.stdout.on("data", (chunk: Buffer) => replies.push(...reader.push(chunk)));
    child.stdin.on("error", () => {});
    child.on("error", reject);
    child.on("close", (exitCode) => resolve({ replies, exitCode }));
    child.stdin.end(input);
  });
}

const frame = (header: object, payload?: Buffer) => Buffer.concat(encodeFrame(header, payload));
const ping = frame({ cmd: "ping" });
const u32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
};

const FILL = { id: "fill", op: "gegl:color", props: { value: "#336699" } };
const BLUR = { id: "blur", op: "gegl:gaussian-blur", props: { "std-dev-x": "1" } };

/** A two-node render job, framed with its payload; `overrides` break it in one way. */
function renderJob(overrides: Record<string, unknown> = {}, payload?: Buffer) {
  const job = {
    cmd: "render",
    nodes: [FILL, BLUR],
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

describe("the GEGL worker binary", () => {
  it("renders a well-formed job and exits 0 at end of input", async () => {
    const reply = await replyTo(renderJob());
    // An opaque result comes as RGB.
    expect(reply.header).toMatchObject({ ok: true, width: 8, height: 8, channels: 3 });
    expect(reply.payload.length).toBe(8 * 8 * 3);
  });

  it.each([
    [
      "a header that is not JSON",
      Buffer.concat([u32(3), Buffer.from("{x]"), u32(0)]),
      "bad-request",
    ],
    ["a header that is not an object", frame([1, 2]), "bad-request"],
    ["an unknown command", frame({ cmd: "explode" }), "bad-request"],
    [
      "an unknown operation",
      renderJob({ nodes: [{ ...FILL, op: "gegl:nope" }, BLUR] }),
      "invalid-graph",
    ],
    [
      "an unknown property",
      renderJob({ nodes: [FILL, { ...BLUR, props: { nope: "1" } }] }),
      "invalid-graph",
    ],
    [
      "an out-of-range value",
      renderJob({ nodes: [FILL, { ...BLUR, props: { "std-dev-x": "-5" } }] }),
      "invalid-graph",
    ],
    [
      "a boolean that is not canonical",
      renderJob({ nodes: [FILL, { ...BLUR, props: { "clip-extent": "1" } }] }),
      "invalid-graph",
    ],
    ["duplicate node ids", renderJob({ nodes: [FILL, { ...BLUR, id: "fill" }] }), "invalid-graph"],
    [
      "a link to an unknown node",
      renderJob({ links: [{ from: "ghost", to: "blur" }] }),
      "invalid-graph",
    ],
    [
      "a cycle",
      renderJob({
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
      "invalid-graph",
    ],
    [
      "two links into one input pad",
      renderJob({
        nodes: [FILL, BLUR, { ...FILL, id: "other" }],
        links: [
          { from: "fill", to: "blur" },
          { from: "other", to: "blur" },
        ],
      }),
      "invalid-graph",
    ],
    ["a payload without an input", renderJob({}, Buffer.alloc(16)), "bad-request"],
    ["more output than max_pixels", renderJob({ max_pixels: 10 }), "too-large"],
    ["a job without max_pixels", renderJob({ max_pixels: undefined }), "bad-request"],
  ])("answers %s with an error of its kind and carries on", async (_what, request, kind) => {
    const reply = await replyTo(request);
    expect(reply.header).toMatchObject({ ok: false, kind });
    expect(typeof reply.header.error).toBe("string");
    expect(reply.payload.length).toBe(0);
  });

  it.each([
    ["a truncated header", Buffer.concat([u32(100), Buffer.from("{")])],
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
      expect(reply.header).toEqual({ ok: true, width: 4, height: 2, channels: 4, file: true });
      expect(reply.payload.length).toBe(0);
      const { data, info } = await sharp(output).raw().toBuffer({ resolveWithObject: true });
      expect(info).toMatchObject({ width: 4, height: 2, channels: 4 });
      expect([...data]).toEqual([...pixels]);
    });

    it("sends the result as the payload when its file cannot be written", async () => {
      const input = await inputFile("in2.v");
      const reply = await replyTo(nop({ input, output: join(dir, "missing", "out.v") }));
      expect(reply.header).toEqual({ ok: true, width: 4, height: 2, channels: 4 });
      expect([...reply.payload]).toEqual([...pixels]);
    });

    it("writes an opaque result as RGB", async () => {
      const output = join(dir, "opaque.v");
      const reply = await replyTo(renderJob({ files: { output } }));
      expect(reply.header).toMatchObject({ ok: true, channels: 3, file: true });
      const { data, info } = await sharp(output).raw().toBuffer({ resolveWithObject: true });
      expect(info).toMatchObject({ width: 8, height: 8, channels: 3 });
      expect((await replyTo(renderJob())).payload.equals(data)).toBe(true);
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
