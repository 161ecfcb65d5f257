import { existsSync } from "node:fs";
import { copyFile, mkdir, readdir, rename, rm, writeFile } from "node:fs/promises";

/**
 * Stages build/edge-assets/, the Worker's Static Assets (`[assets]` in wrangler.toml): the
 * testing UI page at `/` and the graph editor at `/editor` (build/ui/, or a fallback page until
 * the UI is built) and the example images at `/files/<name>`. They ship beside the Worker, not inside its bundle;
 * wrangler gives each its content type from the extension.
 */
const ROOT = new URL("../", import.meta.url);
const EXAMPLES_DIR = new URL("examples/", ROOT);
const UI_PAGES = { "index.html": "build/ui/index.html", "editor.html": "build/ui/editor.html" };
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
let built = 0;
for (const [name, path] of Object.entries(UI_PAGES)) {
  const page = new URL(path, ROOT);
  if (existsSync(page)) {
    await copyFile(page, new URL(name, staging));
    built++;
  } else {
    await writeFile(new URL(name, staging), FALLBACK_PAGE);
  }
}
await rm(ASSETS_DIR, { recursive: true, force: true });
await rename(staging, ASSETS_DIR);
console.log(
  `edge assets: ${examples.length} example files, ${built} of ${Object.keys(UI_PAGES).length} UI pages built`,
);
