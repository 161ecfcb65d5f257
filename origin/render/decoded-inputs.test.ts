import { describe, expect, it } from "vitest";
import { DecodedInputs, type DecodedPixels } from "./decoded-inputs.ts";

const pixels = (): DecodedPixels => ({
  data: Buffer.alloc(12, 1),
  raw: { width: 2, height: 2, channels: 3 },
});

/** A decoder that counts its calls. */
function decoder() {
  const calls = { count: 0 };
  const decode = async () => {
    calls.count++;
    return pixels();
  };
  return { calls, decode };
}

/** Renders `input` once (not kept yet) and once more (decoded and kept). */
async function renderTwice(
  kept: DecodedInputs,
  input: Buffer,
  decode: () => Promise<DecodedPixels>,
) {
  expect(kept.pixels(input, 12, decode)).toBeNull();
  return kept.pixels(input, 12, decode);
}

describe("decoded inputs", () => {
  it("decodes an input to keep when it is rendered again, then once for every render", async () => {
    const kept = new DecodedInputs({ ttlMs: 60_000, maxBytes: 100 });
    const [a, b] = [Buffer.from("a"), Buffer.from("b")];
    const { calls, decode } = decoder();
    expect(kept.pixels(a, 12, decode)).toBeNull();
    expect(calls.count).toBe(0);
    const first = await Promise.all([kept.pixels(a, 12, decode), kept.pixels(a, 12, decode)]);
    expect(first[1]).toBe(first[0]);
    expect(await kept.pixels(a, 12, decode)).toBe(first[0]);
    expect(calls.count).toBe(1);
    await renderTwice(kept, b, decode);
    expect(calls.count).toBe(2);
  });

  it("keeps nothing past its TTL, nor what is larger than its budget", async () => {
    const input = Buffer.from("a");
    const expired = decoder();
    const noTime = new DecodedInputs({ ttlMs: 0, maxBytes: 100 });
    await renderTwice(noTime, input, expired.decode);
    await noTime.pixels(input, 12, expired.decode);
    expect(expired.calls.count).toBe(2);
    const small = new DecodedInputs({ ttlMs: 60_000, maxBytes: 10 });
    const large = decoder();
    expect(small.pixels(input, 12, large.decode)).toBeNull();
    expect(small.pixels(input, 12, large.decode)).toBeNull();
    expect(large.calls.count).toBe(0);
  });

  it("lets the least recently used go first when full", async () => {
    const kept = new DecodedInputs({ ttlMs: 60_000, maxBytes: 24 });
    const [a, b, c] = [Buffer.from("a"), Buffer.from("b"), Buffer.from("c")];
    const { calls, decode } = decoder();
    await renderTwice(kept, a, decode);
    await renderTwice(kept, b, decode);
    await kept.pixels(a, 12, decode);
    await renderTwice(kept, c, decode);
    expect(calls.count).toBe(3);
    await kept.pixels(a, 12, decode);
    expect(calls.count).toBe(3);
    await kept.pixels(b, 12, decode);
    expect(calls.count).toBe(4);
  });

  it("does not keep a failed decode", async () => {
    const kept = new DecodedInputs({ ttlMs: 60_000, maxBytes: 100 });
    const input = Buffer.from("a");
    await expect(renderTwice(kept, input, () => Promise.reject(new Error("bad")))).rejects.toThrow(
      "bad",
    );
    const { calls, decode } = decoder();
    await kept.pixels(input, 12, decode);
    expect(calls.count).toBe(1);
  });
});
