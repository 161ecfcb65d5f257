import { readdir, readFile } from "node:fs/promises";
import { basename, extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildCatalogue, type Catalogue } from "../shared/catalogue.ts";
import type { GraphSource } from "../shared/graph-definition.ts";
import { parseGraphSources } from "../shared/graph-source.ts";

export const GRAPHS_DIR = fileURLToPath(new URL("../graphs/", import.meta.url));

/** Reads every `*.json` and `*.fbp` graph file of a folder. */
export async function readGraphSources(dir: string = GRAPHS_DIR): Promise<GraphSource[]> {
  const files = (await readdir(dir)).filter((file) => [".json", ".fbp"].includes(extname(file)));
  return Promise.all(
    files.sort().map(async (file) => ({
      name: basename(file, extname(file)),
      kind: extname(file) === ".fbp" ? ("fbp" as const) : ("json" as const),
      text: await readFile(join(dir, file), "utf8"),
    })),
  );
}

export async function loadCatalogue(dir: string = GRAPHS_DIR): Promise<Catalogue> {
  return buildCatalogue(parseGraphSources(await readGraphSources(dir)));
}
