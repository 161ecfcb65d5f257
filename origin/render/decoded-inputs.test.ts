import { describe, expect, it } from "vitest";
import { DecodedInputs, type DecodedPixels } from "./decoded-inputs.ts";

const pixels = (fill: number): DecodedPixels => ({
  data: Buffer.alloc(12, fill),
  raw: { width: 2, height: 2, channels: 3 },
});

/** A decoder that counts its calls. */
function decoder(fill = 1) {
  const calls = { count: 0 };
  const decode = async () => {
    calls.count++;
    return pixels(fill);
  };
  return { calls, decode };
}

describe("decoded inputs", () => {
  it("decodes one input once, however many renders ask, and others apart", async () => {
    const kept = new DecodedInputs({ ttlMs: 60_000, maxBytes: 100 });
    const [a, b] = [Buffer.from("a"), Buffer.from("b")];
    const { calls, decode } = decoder();
    const first = await Promise.all([kept.pixels(a, 12, decode), kept.pixels(a, 12, decode)]);
    expect(await kept.pixels(a, 12, decode)).toBe(first[0]);
    expect(first[1]).toBe(first[0]);
    expect(calls.count).toBe(1);
    await kept.pixels(b, 12, decode);
    expect(calls.count).toBe(2);
  });

  it("keeps nothing past its TTL, nor what is larger than its budget", async () => {
    const input = Buffer.from("a");
    const expired = decoder();
    const noTime = new DecodedInputs({ ttlMs: 0, maxBytes: 100 });
    await noTime.pixels(input, 12, expired.decode);
    await noTime.pixels(input, 12, expired.decode);
    expect(expired.calls.count).toBe(2);
    const large = decoder();
    const small = new DecodedInputs({ ttlMs: 60_000, maxBytes: 10 });
    await small.pixels(input, 12, large.decode);
    await small.pixels(input, 12, large.decode);
    expect(large.calls.count).toBe(2);
  });

  it("lets the least recently used go first when full", async () => {
    const kept = new DecodedInputs({ ttlMs: 60_000, maxBytes: 24 });
    const [a, b, c] = [Buffer.from("a"), Buffer.from("b"), Buffer.from("c")];
    const { calls, decode } = decoder();
    await kept.pixels(a, 12, decode);
    await kept.pixels(b, 12, decode);
    await kept.pixels(a, 12, decode);
    await kept.pixels(c, 12, decode);
    expect(calls.count).toBe(3);
    await kept.pixels(a, 12, decode);
    expect(calls.count).toBe(3);
    await kept.pixels(b, 12, decode);
    expect(calls.count).toBe(4);
  });

  it("does not keep a failed decode", async () => {
    const kept = new DecodedInputs({ ttlMs: 60_000, maxBytes: 100 });
    const input = Buffer.from("a");
    await expect(kept.pixels(input, 12, () => Promise.reject(new Error("bad")))).rejects.toThrow(
      "bad",
    );
    const { calls, decode } = decoder();
    await kept.pixels(input, 12, decode);
    expect(calls.count).toBe(1);
  });
});
