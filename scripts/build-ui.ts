import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";
import { writeBuildFile } from "./write-build-file.ts";

/**
 * Bundles ui/ into self-contained pages the edge and the origin serve: the testing UI
 * (build/ui/index.html, at `/`) and the graph editor (build/ui/editor.html, at `/editor`).
 */
const UI_DIR = new URL("../ui/", import.meta.url);
export const UI_PAGE = fileURLToPath(new URL("../build/ui/index.html", import.meta.url));
export const EDITOR_PAGE = fileURLToPath(new URL("../build/ui/editor.html", import.meta.url));

interface PageSources {
  template: string;
  script: string;
  styles: string;
  output: string;
}

const PAGES: PageSources[] = [
  { template: "index.html", script: "app.ts", styles: "styles.css", output: UI_PAGE },
  {
    template: "editor/index.html",
    script: "editor/main.tsx",
    styles: "editor/editor.css",
    output: EDITOR_PAGE,
  },
];

const stylesheetTag = (file: string) => `<link rel="stylesheet" href="./${file}" />`;
const scriptTag = (file: string) => `<script type="module" src="./${file}"></script>`;

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
    // React's production build.
    define: { "process.env.NODE_ENV": '"production"' },
  });
  return result.outputFiles[0]?.text.trim() ?? "";
}

function inline(template: string, tag: string, replacement: string): string {
  if (!template.includes(tag)) throw new Error(`a ui/ page template lacks ${tag}`);
  return template.replace(tag, () => replacement);
}

async function buildPage({ template, script, styles, output }: PageSources): Promise<string> {
  const [page, code, css] = await Promise.all([
    readFile(new URL(template, UI_DIR), "utf8"),
    bundle(script),
    bundle(styles),
  ]);
  const folder = template.includes("/") ? template.slice(0, template.lastIndexOf("/") + 1) : "";
  const local = (file: string) => file.slice(folder.length);
  // A literal "</script" inside the bundle would end the inline script early.
  const safeScript = code.replaceAll("</script", "<\\/script");
  let html = inline(page, stylesheetTag(local(styles)), `<style>${css}</style>`);
  html = inline(html, scriptTag(local(script)), `<script type="module">${safeScript}</script>`);
  await writeBuildFile(pathToFileURL(output), html);
  return output;
}

/** Builds every page; resolves to the testing UI's path. */
export async function buildUi(): Promise<string> {
  await Promise.all(PAGES.map(buildPage));
  return UI_PAGE;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const started = performance.now();
  const page = await buildUi();
  console.log(`ui: built ${page} in ${Math.round(performance.now() - started)} ms`);
}
