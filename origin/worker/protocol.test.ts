import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeFrame, FrameReader } from "./protocol.ts";

describe("worker framing", () => {
  it("round-trips frames however the stream is split", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ header: fc.dictionary(fc.string(), fc.string()), payload: fc.uint8Array() }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1 }),
        (frames, cuts) => {
          const stream = Buffer.concat(
            frames.flatMap((f) => encodeFrame(f.header, Buffer.from(f.payload))),
          );
          const reader = new FrameReader();
          const received = [];
          for (let offset = 0, i = 0; offset < stream.length; i++) {
            const size = cuts[i % cuts.length] as number;
            received.push(...reader.push(stream.subarray(offset, offset + size)));
            offset += size;
          }
          expect(
            received.map((f) => ({ header: f.header, payload: new Uint8Array(f.payload) })),
          ).toEqual(frames.map((f) => ({ header: f.header, payload: new Uint8Array(f.payload) })));
        },
      ),
    );
  });

  it("writes little-endian lengths around the JSON header", () => {
    const [head, payload] = encodeFrame({ cmd: "ping" }, Buffer.from([1, 2, 3]));
    const json = '{"cmd":"ping"}';
    expect(head?.readUInt32LE(0)).toBe(json.length);
    expect(head?.subarray(4, 4 + json.length).toString()).toBe(json);
    expect(head?.readUInt32LE(4 + json.length)).toBe(3);
    expect([...(payload ?? [])]).toEqual([1, 2, 3]);
  });
});
