import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";

/**
 * Stages build/edge-assets/, the Worker's Static Assets (`[assets]` in wrangler.toml): the
 * testing UI page at `/` (build/ui/index.html, or a fallback page until the UI is built) and
 * the example images at `/files/<name>`. They ship beside the Worker, not inside its bundle;
 * wrangler gives each its content type from the extension.
 */
const ROOT = new URL("../", import.meta.url);
const EXAMPLES_DIR = new URL("examples/", ROOT);
const UI_PAGE = new URL("build/ui/index.html", ROOT);
const ASSETS_DIR = new URL("build/edge-assets/", ROOT);

const FALLBACK_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>imgflo-server</title></head>
<body><h1>imgflo-server</h1><p>The testing UI has not been built yet (run <code>npm run setup</code>).
The catalogue is at <a href="/graphs">/graphs</a>.</p></body></html>
`;

// Staged in a fresh folder and swapped in, so wrangler dev (which watches it) never sees half of it.
const staging = new URL(`build/edge-assets.${process.pid}.tmp/`, ROOT);
const examples = await readdir(EXAMPLES_DIR);
await mkdir(new URL("files/", staging), { recursive: true });
await Promise.all(
  examples.map((file) => copyFile(new URL(file, EXAMPLES_DIR), new URL(`files/${file}`, staging))),
);
const uiBuilt = existsSync(UI_PAGE);
if (uiBuilt) await copyFile(UI_PAGE, new URL("index.html", staging));
else await writeFile(new URL("index.html", staging), FALLBACK_PAGE);
await rm(ASSETS_DIR, { recursive: true, force: true });
await rename(staging, ASSETS_DIR);
console.log(
  `edge assets: ${examples.length} example files, ${uiBuilt ? "the built UI page" : "the fallback UI page"}`,
);
