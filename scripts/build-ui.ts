import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { writeBuildFile } from "./write-build-file.ts";

/** Bundles ui/ into one self-contained page, build/ui/index.html, that the edge serves at `/`. */
const UI_DIR = new URL("../ui/", import.meta.url);
export const UI_PAGE = fileURLToPath(new URL("../build/ui/index.html", import.meta.url));

const STYLESHEET_TAG = /<link rel="stylesheet" href="\.\/styles\.css"\s*\/?>/;
const SCRIPT_TAG = /<script type="module" src="\.\/app\.ts"><\/script>/;

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, UI_DIR))],
    bundle: true,
    minify: true,
    write: false,
    format: "esm",
    target: ["es2022", "chrome111", "firefox113", "safari16.4"],
    legalComments: "none",
    logLevel: "warning",
  });
  return result.outputFiles[0]?.text.trim() ?? "";
}

function inline(template: string, tag: RegExp, replacement: string): string {
  if (!tag.test(template)) throw new Error(`ui/index.html lacks a tag matching ${tag}`);
  return template.replace(tag, () => replacement);
}

export async function buildUi(): Promise<string> {
  const [template, script, styles] = await Promise.all([
    readFile(new URL("index.html", UI_DIR), "utf8"),
    bundle("app.ts"),
    bundle("styles.css"),
  ]);
  // A literal "</script" inside the bundle would end the inline script early.
  const safeScript = script.replaceAll("</script", "<\\/script");
  let page = inline(template, STYLESHEET_TAG, `<style>${styles}</style>`);
  page = inline(page, SCRIPT_TAG, `<script type="module">${safeScript}</script>`);
  await writeBuildFile(pathToFileURL(UI_PAGE), page);
  return UI_PAGE;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = performance.now();
  const page = await buildUi();
  console.log(`ui: built ${page} in ${Math.round(performance.now() - started)} ms`);
}
