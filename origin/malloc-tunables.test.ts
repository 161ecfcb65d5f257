import { describe, expect, it } from "vitest";
import { ORIGIN_SETTINGS } from "../shared/origin-settings.ts";
import {
  hasOriginTunables,
  ORIGIN_MALLOC_TUNABLES,
  originProcessEnv,
  withTunables,
  workerTunables,
} from "./malloc-tunables.ts";

const ORIGIN =
  "glibc.malloc.arena_max=1:glibc.malloc.trim_threshold=4294967296:glibc.malloc.mmap_threshold=33554432:glibc.malloc.hugetlb=1";

describe("malloc tunables", () => {
  it("start an origin with one arena on huge pages that keeps what it frees, keeping what the environment set", () => {
    expect(originProcessEnv({}).GLIBC_TUNABLES).toBe(ORIGIN);
    expect(originProcessEnv({ GLIBC_TUNABLES: "glibc.malloc.tcache_count=0" }).GLIBC_TUNABLES).toBe(
      `glibc.malloc.tcache_count=0:${ORIGIN}`,
    );
  });

  it("replace an entry of the same name instead of repeating it", () => {
    expect(withTunables("glibc.malloc.arena_max=8:a.b=1", ["glibc.malloc.arena_max=1"])).toBe(
      "a.b=1:glibc.malloc.arena_max=1",
    );
  });

  it("give the workers huge pages, leaving the arena to the worker (it sets its own)", () => {
    const origin = originProcessEnv({ GLIBC_TUNABLES: "a.b=1" }).GLIBC_TUNABLES;
    expect(workerTunables({ GLIBC_TUNABLES: origin })).toBe("a.b=1:glibc.malloc.hugetlb=1");
    expect(workerTunables({})).toBe("glibc.malloc.hugetlb=1");
  });

  it("are the ones the configuration table names", () => {
    expect(ORIGIN_SETTINGS.glibcTunables.defaultText).toContain(
      `\`${ORIGIN_MALLOC_TUNABLES.join(":")}\``,
    );
  });

  it("tell whether a process was started with them", () => {
    expect(hasOriginTunables(originProcessEnv({}))).toBe(true);
    expect(hasOriginTunables({ GLIBC_TUNABLES: "glibc.malloc.hugetlb=1" })).toBe(false);
    expect(hasOriginTunables({})).toBe(false);
  });
});
