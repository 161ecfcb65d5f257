import { describe, expect, it } from "vitest";
import { isImgfloError } from "./errors.ts";
import { checkNotExpired, expiresIn, expiresOf, maxAgeWithin } from "./url-expiry.ts";

function errorOf(run: () => unknown): { status: number; code: string; parameter?: unknown } | null {
  try {
    run();
    return null;
  } catch (error) {
    if (!isImgfloError(error)) throw error;
    return { status: error.status, code: error.code, parameter: error.details.parameter };
  }
}

describe("expiresOf", () => {
  it.each([
    ["", null],
    ["?width=10", null],
    ["?expires=1700000000", 1700000000],
    ["?a=1&expires=0&b=2", 0],
    ["?expire%73=1700000000", 1700000000],
    ["?expires=%31%37", 17],
    ["?not-expires=x&expiresx=y", null],
  ])("%s is %s", (search, expires) => {
    expect(expiresOf(search)).toBe(expires);
  });

  it.each([
    "?expires=",
    "?expires",
    "?expires=-1",
    "?expires=1.5",
    "?expires=1e9",
    "?expires=%201700000000",
    "?expires=soon",
    "?expires=1234567890123",
    "?expires=1&expires=2",
  ])("%s is 400 naming the parameter", (search) => {
    expect(errorOf(() => expiresOf(search))).toEqual({
      status: 400,
      code: "invalid-parameter",
      parameter: "expires",
    });
  });
});

describe("checkNotExpired", () => {
  const expires = 1_700_000_000;
  it("passes up to the instant named, and without expires", () => {
    expect(errorOf(() => checkNotExpired(null, 0))).toBeNull();
    expect(errorOf(() => checkNotExpired(expires, expires * 1000 - 60_000))).toBeNull();
    expect(errorOf(() => checkNotExpired(expires, expires * 1000))).toBeNull();
  });

  it("is 403 expired after it", () => {
    const expired = { status: 403, code: "expired", parameter: undefined };
    expect(errorOf(() => checkNotExpired(expires, expires * 1000 + 1))).toEqual(expired);
    expect(errorOf(() => checkNotExpired(0, Date.now()))).toEqual(expired);
  });
});

describe("maxAgeWithin", () => {
  it("keeps a cache lifetime within the URL's", () => {
    const now = 1_700_000_000_000;
    expect(maxAgeWithin(3600, null, now)).toBe(3600);
    expect(maxAgeWithin(3600, now / 1000 + 7200, now)).toBe(3600);
    expect(maxAgeWithin(3600, now / 1000 + 60, now + 500)).toBe(59);
    expect(maxAgeWithin(3600, now / 1000 - 5, now)).toBe(0);
  });
});

describe("expiresIn", () => {
  it("counts from the current second", () => {
    expect(expiresIn(3600, 1_700_000_000_999)).toBe(1_700_003_600);
  });
});
