import { mkdtemp, readdir, rm, statfs, unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import sharp from "sharp";

// statfs(2)'s f_type of a tmpfs: the directory must be memory, not disk.
const TMPFS_MAGIC = 0x01021994;
const PREFIX = "imgflo-pixels-";
// libvips' .v header; the XML block libvips appends after the pixels is smaller than this.
const FILE_OVERHEAD_BYTES = 64 * 1024;

/**
 * Below this, pixels go through the worker's pipes. Above it, files save the origin a copy each
 * way and the Buffers whose megabytes make V8 collect its whole heap (bench/cpu.ts W2: one
 * full collection per render without files).
 */
export const MIN_PIXEL_FILE_BYTES = 1024 * 1024;

/** The files of one render; `release` deletes them, whatever the render did. */
export interface PixelTransfer {
  /** Where the decoded input goes (sharp writes it, the worker reads it). */
  input: string;
  /** Where the worker writes the result (sharp reads it for the encode). */
  output: string;
  /** Where each image inport's decoded image goes, in the order reserved. */
  images: string[];
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the directories of origins that died without removing theirs. */
async function sweep(base: string): Promise<void> {
  for (const entry of await readdir(base)) {
    const pid = Number(entry.slice(PREFIX.length).split("-")[0]);
    if (!entry.startsWith(PREFIX) || !Number.isInteger(pid) || isAlive(pid)) continue;
    await rm(join(base, entry), { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * Pixel files: renders' inputs and results passed to and from the GEGL workers as files in this
 * process's own directory on a tmpfs (libvips' .v layout, which sharp reads and writes and the
 * worker parses: origin/gegl-worker/pixel-file.h), instead of as Buffers over the pipes. Room is
 * reserved per render against the file system's free space, so a small tmpfs (Docker's 64 MB
 * /dev/shm) sends the renders it cannot hold through the pipes.
 */
export class PixelFiles {
  private reserved = 0;
  private count = 0;

  private constructor(readonly dir: string) {}

  /** In the first tmpfs of `bases` that takes a directory; null when none does (pipes only). */
  static async open(bases: string[] = ["/dev/shm", tmpdir()]): Promise<PixelFiles | null> {
    for (const base of bases) {
      try {
        if ((await statfs(base)).type !== TMPFS_MAGIC) continue;
        await sweep(base);
        const dir = await mkdtemp(join(base, `${PREFIX}${process.pid}-`));
        // libvips' operation cache would keep the results it read open, deleted files included.
        sharp.cache({ files: 0 });
        return new PixelFiles(dir);
      } catch {
        // Not there or not writable: the next candidate.
      }
    }
    return null;
  }

  /**
   * Files for a render with an input, a result and image inports' images of about these sizes;
   * null for the pipes.
   */
  async reserve(
    inputBytes: number,
    outputBytes: number,
    imageBytes: readonly number[] = [],
  ): Promise<PixelTransfer | null> {
    const sizes = [inputBytes, outputBytes, ...imageBytes];
    if (Math.max(...sizes) < MIN_PIXEL_FILE_BYTES) return null;
    const bytes = sizes.reduce((total, size) => total + size + FILE_OVERHEAD_BYTES, 0);
    const { bavail, bsize } = await statfs(this.dir);
    if (bavail * bsize - this.reserved < bytes) return null;
    this.reserved += bytes;
    const name = join(this.dir, String(this.count++));
    const input = `${name}-in.v`;
    const output = `${name}-out.v`;
    const images = imageBytes.map((_, i) => `${name}-image-${i}.v`);
    let released = false;
    return {
      input,
      output,
      images,
      release: async () => {
        if (released) return;
        released = true;
        this.reserved -= bytes;
        await Promise.all([input, output, ...images].map((file) => unlink(file).catch(() => {})));
      },
    };
  }

  async close(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Runs a render's steps with pixel files for it (or none: the pipes), deleted once they end. */
export async function withPixelFiles<T>(
  files: PixelFiles | null,
  sizes: { inputBytes: number; outputBytes: number; imageBytes?: readonly number[] },
  steps: (transfer: PixelTransfer | null) => Promise<T>,
): Promise<T> {
  const transfer =
    (await files?.reserve(sizes.inputBytes, sizes.outputBytes, sizes.imageBytes)) ?? null;
  try {
    return await steps(transfer);
  } finally {
    await transfer?.release();
  }
}
