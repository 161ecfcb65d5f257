import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Writes a generated file under build/ to a temporary name and renames it into place, so a
 * Worker being bundled (wrangler dev watches build/) never reads half a file.
 */
export async function writeBuildFile(target: URL, content: string): Promise<void> {
  const path = fileURLToPath(target);
  await mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, content);
  await rename(temporary, path);
}
