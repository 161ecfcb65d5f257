import { describe, expect, it } from "vitest";
import { InputCache } from "./input-cache.ts";

const url = (name: string) => new URL(`https://images.example/${name}`);
const bytes = (length: number) => Buffer.alloc(length, 1);

describe("InputCache", () => {
  it("drops the oldest entries beyond its byte budget and keeps nothing larger than it", () => {
    const cache = new InputCache({ ttlMs: 60_000, maxBytes: 100 });
    cache.set(url("a"), bytes(40));
    cache.set(url("b"), bytes(40));
    cache.set(url("c"), bytes(40));
    expect(cache.get(url("a"))).toBeNull();
    expect(cache.get(url("b"))).toHaveLength(40);
    expect(cache.get(url("c"))).toHaveLength(40);
    cache.set(url("huge"), bytes(101));
    expect(cache.get(url("huge"))).toBeNull();
    expect(cache.get(url("c"))).toHaveLength(40);
  });

  it("forgets an entry once its TTL has passed", async () => {
    const cache = new InputCache({ ttlMs: 20, maxBytes: 100 });
    cache.set(url("a"), bytes(10));
    expect(cache.get(url("a"))).toHaveLength(10);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(cache.get(url("a"))).toBeNull();
  });
});
