/**
 * glibc's malloc settings of the origin's processes (`GLIBC_TUNABLES`, read at exec, so whoever
 * starts a process sets them: the CLI's `dev`, the Docker image, the test harness).
 *
 * Page faults are what large images cost on these machines (about 11 µs per 4 KiB page on KVM).
 * - The origin: libvips runs each encode and decode in threads whose own malloc arenas get a
 *   fresh heap for a large image and unmap it after, so a 12 MP JPEG encode faulted 19,000 pages
 *   in (330 instead of 90 ms). One arena keeps freed memory for the next image, on huge pages,
 *   with no trim on free and blocks up to 32 MiB from the heap: an image's buffers given back
 *   at free were faulted in again by the next, and on this VM memory left for a second or two
 *   costs far more to touch again (12 MP JPEG encodes 2.5 s apart: about 150 ms, 100 with
 *   these). The origin keeps up to its peak (which `bench:origin` measures).
 * - The workers: GEGL's tiles are allocated anew for each render, and their 4 KiB page faults
 *   were 60% of the worker's CPU on a 1.5 MP halodarken (845 -> 335 ms). Huge pages here; the
 *   worker sets its arena and when it gives memory back itself (`keep_freed_memory` in
 *   `gegl-worker/main.c`).
 */
const HUGE_PAGES = "glibc.malloc.hugetlb=1";
const ONE_ARENA = "glibc.malloc.arena_max=1";
const NO_TRIM_ON_FREE = "glibc.malloc.trim_threshold=4294967296";
const HEAP_UP_TO_32_MIB = "glibc.malloc.mmap_threshold=33554432";

export const WORKER_MALLOC_TUNABLES: readonly string[] = [HUGE_PAGES];
const ORIGIN_ONLY = [ONE_ARENA, NO_TRIM_ON_FREE, HEAP_UP_TO_32_MIB];
export const ORIGIN_MALLOC_TUNABLES: readonly string[] = [
  ...ORIGIN_ONLY,
  ...WORKER_MALLOC_TUNABLES,
];

type Env = Record<string, string | undefined>;

const entries = (tunables: string | undefined) => (tunables ? tunables.split(":") : []);
const nameOf = (entry: string) => entry.split("=")[0];

/**
 * `tunables` with `wanted` set: what the environment set stays unless `wanted` names it, and
 * `dropped` (the origin's own, which a worker started by the origin inherits) are removed.
 */
export function withTunables(
  tunables: string | undefined,
  wanted: readonly string[],
  dropped: readonly string[] = [],
): string {
  const replaced = new Set([...wanted, ...dropped].map(nameOf));
  const kept = entries(tunables).filter((entry) => !replaced.has(nameOf(entry)));
  return [...kept, ...wanted].join(":");
}

/** The `GLIBC_TUNABLES` to start an origin process with, from the starter's environment. */
export function originProcessEnv(env: Env = process.env): { GLIBC_TUNABLES: string } {
  return { GLIBC_TUNABLES: withTunables(env.GLIBC_TUNABLES, ORIGIN_MALLOC_TUNABLES) };
}

/** A worker's `GLIBC_TUNABLES`, from the origin's environment. */
export function workerTunables(env: Env): string {
  return withTunables(env.GLIBC_TUNABLES, WORKER_MALLOC_TUNABLES, ORIGIN_ONLY);
}

/** Whether this process was started with the origin's settings (the origin warns when not). */
export function hasOriginTunables(env: Env = process.env): boolean {
  const set = new Set(entries(env.GLIBC_TUNABLES));
  return ORIGIN_MALLOC_TUNABLES.every((entry) => set.has(entry));
}
