import { once } from "node:events";
import { type AddressInfo, connect, createServer, type Socket } from "node:net";
import { crc32, createDeflate } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { type OriginProcess, readImage, startOrigin } from "../test/harness/origin.ts";

// What a hostile or careless client can do to one origin, each case against a real origin
// configured so that the limit in question is reached quickly.
let fixtures: FixtureServer;
/** Small render queue, long input deadline: stalled downloads must not take render capacity. */
let downloads: OriginProcess;
/** One render at a time, 1 s deadline. */
let deadline: OriginProcess;
/** Two workers, a memory budget that holds one large render at a time. */
let memory: OriginProcess;

const input = (path: string) => encodeURIComponent(fixtures.at(path));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` (bounded by count, not by a wall-clock deadline). */
async function until(check: () => Promise<boolean>, what: string, tries = 500): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(`gave up waiting for ${what}`);
}

async function errorOf(response: Response) {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as { code: string; error: string };
  return { status: response.status, ...body };
}

/** An input host that accepts connections and never answers. */
async function startSilentServer() {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    connections: () => sockets.size,
    close() {
      server.close();
      for (const socket of sockets) socket.destroy();
    },
  };
}

/** A 30000x30000 grey PNG: 900 Mpx in well under a megabyte, every row really encoded. */
async function pngBomb(): Promise<Buffer> {
  const width = 30_000;
  const height = 30_000;
  const chunk = (type: string, data: Buffer) => {
    const typed = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale, deflate, no filter method, no interlace
  const deflate = createDeflate({ level: 9 });
  const compressed: Buffer[] = [];
  deflate.on("data", (data: Buffer) => compressed.push(data));
  const row = Buffer.alloc(1 + width); // filter type 0, then black pixels
  for (let y = 0; y < height; y++) {
    if (!deflate.write(row)) await once(deflate, "drain");
  }
  deflate.end();
  await once(deflate, "end");
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", Buffer.concat(compressed)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

/** Sends raw bytes on a fresh connection and reads the whole answer (requests say Connection: close). */
/** Sends raw bytes and reads the answer, `readAfterMs` after sending (a slow client). */
async function rawRequest(
  origin: OriginProcess,
  request: Buffer,
  readAfterMs = 0,
): Promise<string> {
  const { hostname, port } = new URL(origin.url);
  const socket = connect(Number(port), hostname);
  await once(socket, "connect");
  socket.pause();
  socket.write(request);
  await sleep(readAfterMs);
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  const closed = once(socket, "close"); // rejects on a reset
  socket.resume();
  await closed;
  return Buffer.concat(chunks).toString("latin1");
}

function parseRaw(answer: string): { status: number; contentType: string; body: unknown } {
  const [head = "", body = ""] = answer.split("\r\n\r\n");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const contentType = /^content-type: (.*)$/im.exec(head)?.[1] ?? "";
  return { status, contentType, body: JSON.parse(body) };
}

beforeAll(async () => {
  fixtures = await startFixtureServer();
  [downloads, deadline, memory] = await Promise.all([
    startOrigin({ ALLOW_PRIVATE_INPUTS: "1", MAX_QUEUE: "16", FETCH_TIMEOUT_MS: "60000" }),
    startOrigin({ ALLOW_PRIVATE_INPUTS: "1", RENDER_CONCURRENCY: "1", RENDER_TIMEOUT_MS: "1000" }),
    startOrigin({
      ALLOW_PRIVATE_INPUTS: "1",
      RENDER_CONCURRENCY: "2",
      // gaussianblur at 3000x2083 is estimated at 625 MB: one fits, two do not.
      MAX_RENDER_MEMORY: "1000000000",
    }),
  ]);
  fixtures.add("/made/bomb.png", await pngBomb(), "image/png");
});

afterAll(async () => {
  await Promise.all([downloads?.stop(), deadline?.stop(), memory?.stop()]);
  await fixtures?.close();
});

describe("slow inputs", () => {
  it("a host that never answers holds its own downloads only: generators and other hosts still render", async () => {
    const silent = await startSilentServer();
    try {
      // More stalled requests than MAX_QUEUE (16): 8 download, 8 wait for their host, the rest 503.
      const stalled = Array.from({ length: 24 }, (_, i) =>
        downloads.get(`graph/passthrough.png?input=${encodeURIComponent(`${silent.url}${i}.png`)}`),
      );
      await until(async () => silent.connections() >= 8, "8 connections to the silent host");
      const settled: Response[] = [];
      for (const pending of stalled) void pending.then((response) => settled.push(response));
      await until(async () => settled.length === 8, "the requests beyond the download pool");
      for (const response of settled) {
        expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(await errorOf(response)).toMatchObject({ status: 503, code: "overloaded" });
      }
      expect(await readImage(downloads.get("graph/canvas.png?width=32"))).toMatchObject({
        width: 32,
      });
      const other = `graph/passthrough.png?input=${input("images/gridbear.jpg")}&width=40`;
      expect(await readImage(downloads.get(other))).toMatchObject({ width: 40 });
      expect(await downloads.healthz()).toMatchObject({
        queue: { waiting: 0 },
        downloads: { active: 8, waiting: 8, rejected: 8 },
      });
      silent.close();
      for (const response of await Promise.all(stalled)) {
        expect([503, 504]).toContain(response.status);
      }
    } finally {
      silent.close();
    }
  });
});

describe("animated output", () => {
  it("counts every frame against MAX_PIXELS: 8 frames of 4096x4096 are 422", async () => {
    const response = await deadline.get(
      `graph/passthrough.webp?input=${input("images/time.gif")}&width=4096`,
    );
    expect(await errorOf(response)).toMatchObject({
      status: 422,
      code: "too-many-pixels",
      error: expect.stringMatching(/134217728/),
    });
  });

  it("stops an animated transcode at RENDER_TIMEOUT_MS: 504 stating the limit", async () => {
    // 8 frames of 2000x2000 (32 Mpx, under the pixel limit) take several seconds to quantise.
    const response = await deadline.get(
      `graph/passthrough.gif?input=${input("images/time.gif")}&width=2000`,
    );
    expect(await errorOf(response)).toMatchObject({
      status: 504,
      code: "render-timeout",
      error: "Rendering took longer than 1 s.",
    });
    expect(await readImage(deadline.get("graph/canvas.png?width=16"))).toMatchObject({
      width: 16,
    });
  });

  it("puts a generator's encoding under the deadline too", async () => {
    // GEGL draws the mosaic in a fraction of a second; encoding it as AVIF takes several.
    const response = await deadline.get("graph/delaunay_triangles.avif?width=2000&height=2000");
    expect(await errorOf(response)).toMatchObject({
      status: 504,
      code: "render-timeout",
      error: "Rendering took longer than 1 s.",
    });
  });

  it("states the limit, not the time left, when a GEGL render overruns", async () => {
    // Decoding and resizing to 11 Mpx takes part of the second before GEGL starts.
    const response = await deadline.get(
      `graph/desaturate.png?input=${input("images/mountains.png")}&width=4000`,
    );
    expect(await errorOf(response)).toMatchObject({
      status: 504,
      code: "render-timeout",
      error: "Rendering took longer than 1 s.",
    });
  });
});

describe("noop", () => {
  it("applies the pixel limit: a 30000x30000 PNG bomb is 422, never served", async () => {
    const response = await deadline.get(`graph/noop?input=${input("made/bomb.png")}`);
    expect(await errorOf(response)).toMatchObject({
      status: 422,
      code: "too-many-pixels",
      error: expect.stringMatching(/900000000/),
    });
  });
});

describe("memory admission", () => {
  it("runs two large renders one after the other when the budget holds one", async () => {
    const large = (sigma: number) =>
      memory.get(
        `graph/gaussianblur.png?input=${input("images/mountains.png")}&width=3000&std-dev-x=${sigma}`,
      );
    const renders = [large(20), large(21)];
    let done = 0;
    for (const render of renders) void render.finally(() => done++);
    let busyAtOnce = 0;
    let sawOneWaiting = false;
    while (done < renders.length) {
      const health = await memory.healthz();
      busyAtOnce = Math.max(busyAtOnce, health.workers.busyPids.length);
      if (health.queue.memory.waiting === 1) sawOneWaiting = true;
      await sleep(20);
    }
    for (const render of renders) expect(await readImage(render)).toMatchObject({ width: 3000 });
    expect(sawOneWaiting).toBe(true);
    expect(busyAtOnce).toBe(1);
  });
});

describe("requests Node's parser or the adapter refuses", () => {
  const cases: [string, Buffer, number, string][] = [
    [
      "raw non-ASCII bytes in the target",
      Buffer.from("GET /graph/\xff\xfe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "latin1"),
      400,
      "malformed-url",
    ],
    [
      "an unknown method",
      Buffer.from("BREW /graphs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
      405,
      "method-not-allowed",
    ],
    [
      "an over-long request line",
      Buffer.from(
        `GET /graph/canvas?x=${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      ),
      414,
      "url-too-long",
    ],
    [
      "over-long headers",
      Buffer.from(
        `GET /graphs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
      ),
      431,
      "headers-too-large",
    ],
    [
      "GET *",
      Buffer.from("GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"),
      400,
      "malformed-url",
    ],
    [
      "a broken header line",
      Buffer.from("GET /graphs HTTP/1.1\r\nHost: x\r\nConnection: close\r\nNot a header\r\n\r\n"),
      400,
      "malformed-request",
    ],
  ];

  it.each(cases)("%s: JSON with the right status", async (_, request, status, code) => {
    const answer = parseRaw(await rawRequest(deadline, request));
    expect(answer.status).toBe(status);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body).toMatchObject({ code, error: expect.any(String) });
  });

  it("answers a client that sent more than Node read, and reads late, before closing", async () => {
    // The origin answers after 16 KiB; closing with the rest unread would reset the connection
    // and take the answer with it before this client reads it.
    const request = Buffer.from(
      `GET /graph/canvas?x=${"a".repeat(200_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    const answer = parseRaw(await rawRequest(deadline, request, 300));
    expect(answer).toMatchObject({ status: 414, body: { code: "url-too-long" } });
  });
});
