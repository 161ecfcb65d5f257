/**
 * The sweep's large source: no fixture is near 12 MP, so one is made at bench start by
 * upscaling the grid photo (a JPEG, as large camera images are), into a folder the fixture
 * server and ipx both serve.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { FIXTURE_IMAGES_DIR } from "../../test/harness/fixture-server.ts";
import { GRID } from "../lib/workload-paths.ts";

export const LARGE_SOURCE = "large-source.jpg";
/** 3000 x 4000: 12 MP, the grid photo's 3:4. */
export const LARGE_SOURCE_WIDTH = 3000;

/** Writes the large source into `dir`; returns its bytes. */
export async function writeLargeSource(dir: string): Promise<Buffer> {
  const bytes = await sharp(await readFile(join(FIXTURE_IMAGES_DIR, GRID)))
    .resize({ width: LARGE_SOURCE_WIDTH })
    .jpeg({ quality: 90 })
    .toBuffer();
  await writeFile(join(dir, LARGE_SOURCE), bytes);
  return bytes;
}
