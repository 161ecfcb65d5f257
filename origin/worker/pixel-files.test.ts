import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, statfs, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIN_PIXEL_FILE_BYTES, PixelFiles } from "./pixel-files.ts";

// /dev/shm is a tmpfs on Linux: each test gets its own directory there as the base.
const SHM = "/dev/shm";
const MB = 1024 * 1024;

describe("pixel files", () => {
  let base = "";
  beforeEach(async () => {
    base = await mkdtemp(join(SHM, "imgflo-pixel-files-test-"));
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  it("gives a render files in its own directory and deletes them when released", async () => {
    const files = (await PixelFiles.open([base])) as PixelFiles;
    expect(files.dir.startsWith(join(base, `imgflo-pixels-${process.pid}-`))).toBe(true);
    const transfer = await files.reserve(2 * MB, 2 * MB);
    expect(transfer?.input.startsWith(files.dir)).toBe(true);
    expect(transfer?.output.startsWith(files.dir)).toBe(true);
    expect(transfer?.input).not.toBe(transfer?.output);
    await writeFile(transfer?.input as string, "in");
    await writeFile(transfer?.output as string, "out");
    await transfer?.release();
    // Image inports' images get one each, released with the others.
    const withImages = await files.reserve(0, 0, [2 * MB, 10]);
    expect(withImages?.images).toHaveLength(2);
    expect(
      new Set([withImages?.input, withImages?.output, ...(withImages?.images ?? [])]).size,
    ).toBe(4);
    for (const file of withImages?.images ?? []) await writeFile(file, "image");
    await withImages?.release();
    await transfer?.release();
    expect(await readdir(files.dir)).toEqual([]);
    await files.close();
    expect(await readdir(base)).toEqual([]);
  });

  it("sends small images and what the file system cannot hold through the pipes", async () => {
    const files = (await PixelFiles.open([base])) as PixelFiles;
    expect(await files.reserve(MIN_PIXEL_FILE_BYTES - 1, MIN_PIXEL_FILE_BYTES - 1)).toBeNull();
    const { bavail, bsize } = await statfs(base);
    const free = bavail * bsize;
    expect(await files.reserve(free * 1.2, 0)).toBeNull();
    // What is reserved counts until it is released.
    const most = await files.reserve(free * 0.6, 0);
    expect(most).not.toBeNull();
    expect(await files.reserve(free * 0.6, 0)).toBeNull();
    await most?.release();
    expect(await files.reserve(free * 0.6, 0)).not.toBeNull();
    await files.close();
  });

  it("removes the directories of origins that died, not those of live ones", async () => {
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    await mkdir(join(base, `imgflo-pixels-${dead}-abc`));
    await mkdir(join(base, `imgflo-pixels-${process.pid}-def`));
    await mkdir(join(base, "something-else"));
    const files = (await PixelFiles.open([base])) as PixelFiles;
    expect((await readdir(base)).sort()).toEqual(
      [
        `imgflo-pixels-${process.pid}-def`,
        files.dir.slice(base.length + 1),
        "something-else",
      ].sort(),
    );
    await files.close();
  });

  it("uses only a tmpfs, and none when there is none", async () => {
    const disk = fileURLToPath(new URL(".", import.meta.url));
    const files = await PixelFiles.open([disk, join(base, "missing"), base]);
    expect(files?.dir.startsWith(base)).toBe(true);
    await files?.close();
    expect(await PixelFiles.open([disk])).toBeNull();
  });
});
