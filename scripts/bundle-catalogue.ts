import { readGraphSources } from "../origin/graph-files.ts";
import { buildCatalogue } from "../shared/catalogue.ts";
import { parseGraphSources } from "../shared/graph-source.ts";
import { writeBuildFile } from "./write-build-file.ts";

/**
 * Writes build/graphs.json, the parsed and checked graphs the Worker bundles: it cannot read
 * graphs/ at run time, and bundling them parsed keeps the .fbp parser out of the Worker.
 */
const graphs = parseGraphSources(await readGraphSources());
buildCatalogue(graphs);
await writeBuildFile(
  new URL("../build/graphs.json", import.meta.url),
  `${JSON.stringify(graphs)}\n`,
);
console.log(`catalogue: bundled ${graphs.length} graphs into build/graphs.json`);
