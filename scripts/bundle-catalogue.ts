import { readGraphSources } from "../origin/graph-files.ts";
import { buildCatalogue } from "../shared/catalogue.ts";
import { writeBuildFile } from "./write-build-file.ts";

/** Writes build/graphs.json, the graph sources the Worker bundles (it cannot read graphs/ at run time). */
const sources = await readGraphSources();
buildCatalogue(sources);
await writeBuildFile(
  new URL("../build/graphs.json", import.meta.url),
  `${JSON.stringify(sources)}\n`,
);
console.log(`catalogue: bundled ${sources.length} graphs into build/graphs.json`);
