import { mkdir, readFile, rm } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUi, EDITOR_PAGE } from "../../scripts/build-ui.ts";
import { buildCatalogue } from "../../shared/catalogue.ts";
import { parseGraphSource } from "../../shared/graph-source.ts";
import { launchChromium } from "../../test/harness/chromium.ts";
import { freshDatabase, type RunningEdge, startEdge } from "../../test/harness/edge.ts";
import {
  freePort,
  type Image,
  type OriginProcess,
  pixelsOf,
  startOrigin,
} from "../../test/harness/origin.ts";

const SCREENSHOTS = new URL("../../test-results/", import.meta.url);
const RUNTIME_SECRET = "editor-test-runtime-secret-0123";
const PREVIEW_TIMEOUT_MS = 60_000;
// An origin checks a graph, rendering it once, before the edge publishes it.
const PUBLISH_TIMEOUT_MS = 60_000;

let browser: Browser | undefined;
let origin: OriginProcess | undefined;
let edge: RunningEdge | undefined;
let persistDir: string | undefined;
let runtimePort: number;

/** The editor's address as npm start prints it: the runtime, its secret and the admin token. */
function editorUrl(token = (edge as RunningEdge).adminToken): string {
  const runtime = `ws://127.0.0.1:${runtimePort}/`;
  const hash = new URLSearchParams({ runtime, secret: RUNTIME_SECRET, token });
  return `${(edge as RunningEdge).url}/editor#${hash}`;
}

/** The real stack: the Worker in workerd serving /editor, a GEGL origin running the FBP runtime. */
beforeAll(async () => {
  await buildUi();
  await mkdir(SCREENSHOTS, { recursive: true });
  const originSecret = "editor-test-origin-secret";
  runtimePort = await freePort();
  persistDir = await freshDatabase();
  origin = await startOrigin({
    ORIGIN_SECRET: originSecret,
    RENDER_CONCURRENCY: "1",
    RUNTIME_PORT: String(runtimePort),
    RUNTIME_SECRET,
    // Processing URLs on the edge take the bundled examples from the edge, on loopback.
    ALLOW_PRIVATE_INPUTS: "1",
  });
  edge = await startEdge({
    originUrls: [origin.url],
    originSecret,
    allowUnsigned: true,
    persistDir,
  });
  // The edge serves build/edge-assets/, staged from build/ui/ by npm run build:edge (setup).
  const served = await (await fetch(`${edge.url}/editor`)).text();
  if (served !== (await readFile(EDITOR_PAGE, "utf8"))) {
    throw new Error("The edge serves an older editor: run npm run build:edge first.");
  }
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await edge?.stop();
  await origin?.stop();
  if (persistDir) await rm(persistDir, { recursive: true, force: true });
});

/** Waits for a loaded preview other than `previous`, and decodes it. */
async function nextPreview(
  page: Page,
  previous: string | null,
): Promise<{ url: string; image: Image }> {
  const handle = await page.waitForFunction(
    (before) => {
      const image = document.querySelector<HTMLImageElement>("#preview");
      const ready = image?.dataset.state === "ready" && image.src !== before;
      return ready ? image.src : null;
    },
    previous,
    { timeout: PREVIEW_TIMEOUT_MS },
  );
  const url = (await handle.jsonValue()) as string;
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return { url, image: await pixelsOf(Buffer.from(await response.arrayBuffer())) };
}

/** A new page (its own localStorage) on the editor, connected; `problems` collects its errors. */
async function openEditor(url: string): Promise<{ page: Page; problems: string[] }> {
  const page = await (browser as Browser).newPage({
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(url);
  await page.waitForSelector('.editor[data-status="ready"]', { timeout: 30_000 });
  return { page, problems };
}

/** Opens a catalogue graph with a map node, and waits for its first preview. */
async function openGraph(page: Page, name: string) {
  await page.selectOption("#open-graph", name);
  await page.waitForSelector('.react-flow__node[data-id="map"]', { timeout: 30_000 });
  return nextPreview(page, null);
}

/** The map node's first colour, once the runtime has rendered it. */
async function editColor(page: Page, color: string): Promise<void> {
  const before = await page.getAttribute("#preview", "src");
  await page.click('.react-flow__node[data-id="map"]');
  await page.fill("#prop-color1", color);
  await nextPreview(page, before);
}

/** The versions the editor lists, newest first: "2 current", "1". */
function historyOf(page: Page): Promise<string[]> {
  return page.$$eval("#graph-history li", (items) =>
    items.map((item) => {
      const { version, current } = (item as HTMLElement).dataset;
      return current === "true" ? `${version} current` : `${version}`;
    }),
  );
}

/** Clicks a button of the publish panel and waits for its answer to say `text`. */
async function answerTo(page: Page, button: string, text: string): Promise<void> {
  await page.click(button);
  await expect
    .poll(() => page.textContent("#publish-result"), { timeout: PUBLISH_TIMEOUT_MS })
    .toContain(text);
}

/** Where the edge redirects a processing URL of the graph: its cache key. */
async function servedLocation(graph: string): Promise<string> {
  const url = `${(edge as RunningEdge).url}/graph/${graph}.png?input=files%2Fgridbear.jpg&width=64`;
  const response = await fetch(url, { redirect: "manual" });
  expect(response.status, await response.clone().text()).toBe(301);
  return response.headers.get("location") ?? "";
}

function meanDifference(a: Image, b: Image): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let sum = 0;
  for (let i = 0; i < a.pixels.length; i++)
    sum += Math.abs((a.pixels[i] ?? 0) - (b.pixels[i] ?? 0));
  return sum / a.pixels.length;
}

/** Sum of absolute differences between horizontal neighbours: lower once blurred. */
function edgeEnergy({ pixels }: Image): number {
  let sum = 0;
  for (let i = 4; i < pixels.length; i += 4)
    sum += Math.abs((pixels[i] ?? 0) - (pixels[i - 4] ?? 0));
  return sum;
}

describe("the graph editor (/editor) in Chromium", () => {
  it("opens gradientmap, edits a colour and inserts a blur with live previews, exports a catalogue graph", async () => {
    const { page, problems } = await openEditor(editorUrl());
    const original = await openGraph(page, "gradientmap");
    await expect
      .poll(() => page.textContent("#processing-url"))
      .toContain("/graph/gradientmap.jpg?color1=%230A2A2F");

    await page.click('.react-flow__node[data-id="map"]');
    await page.waitForSelector('[data-node="map"] #prop-color1');
    const edited = Date.now();
    await page.fill("#prop-color1", "#ff0000");
    const recoloured = await nextPreview(page, original.url);
    console.log(`editor: preview after a colour edit in ${Date.now() - edited} ms`);
    expect(meanDifference(original.image, recoloured.image)).toBeGreaterThan(5);
    expect(await page.textContent("#processing-url")).toContain("color1=%23ff0000");

    await page.locator('[data-testid="rf__edge-nop.output->map.input"]').dispatchEvent("click");
    await page.fill("#palette-search", "gaussian-blur");
    await page.click('[data-component="gegl/gaussian-blur"]');
    await page.waitForSelector('.react-flow__node[data-id="gaussian_blur"]');
    await page.waitForSelector('[data-node="gaussian_blur"] #prop-std-dev-x');
    await page.fill("#prop-std-dev-x", "10");
    await page.fill("#prop-std-dev-y", "10");
    let blurred = await nextPreview(page, recoloured.url);
    // The preview of the last edit: earlier ones may still be in flight.
    for (let i = 0; i < 5 && edgeEnergy(blurred.image) > edgeEnergy(recoloured.image) * 0.6; i++) {
      blurred = await nextPreview(page, blurred.url);
    }
    expect(edgeEnergy(blurred.image)).toBeLessThan(edgeEnergy(recoloured.image) * 0.6);
    await page.screenshot({ path: new URL("editor-desktop.png", SCREENSHOTS).pathname });

    const download = page.waitForEvent("download");
    await page.click("#export-json");
    const file = await (await download).path();
    const text = await readFile(file, "utf8");
    const catalogue = buildCatalogue([parseGraphSource({ name: "edited", kind: "json", text })]);
    const graph = catalogue.get("edited");
    expect(graph?.definition.processes?.gaussian_blur?.component).toBe("gegl/gaussian-blur");
    expect(graph?.definition.connections).toEqual(
      expect.arrayContaining([
        {
          src: { process: "nop", port: "output" },
          tgt: { process: "gaussian_blur", port: "input" },
        },
        { data: "#ff0000", tgt: { process: "map", port: "color1" } },
      ]),
    );
    expect(graph?.input).toEqual({ process: "nop", port: "input" });

    // Delete the blur again and connect its two neighbours by dragging from port to port.
    await page.click('.react-flow__node[data-id="gaussian_blur"]');
    await page.keyboard.press("Delete");
    await page.waitForSelector('.react-flow__node[data-id="gaussian_blur"]', { state: "detached" });
    const from = await page
      .locator(
        '.react-flow__node[data-id="nop"] .react-flow__handle.source[data-handleid="output"]',
      )
      .boundingBox();
    const to = await page
      .locator('.react-flow__node[data-id="map"] .react-flow__handle.target[data-handleid="input"]')
      .boundingBox();
    if (!from || !to) throw new Error("the ports are not on the canvas");
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 10 });
    await page.mouse.up();
    await page.waitForSelector('[data-testid="rf__edge-nop.output->map.input"]', {
      state: "attached",
    });
    let sharpAgain = await nextPreview(page, blurred.url);
    for (let i = 0; i < 5 && edgeEnergy(sharpAgain.image) < edgeEnergy(blurred.image) * 1.5; i++) {
      sharpAgain = await nextPreview(page, sharpAgain.url);
    }
    expect(edgeEnergy(sharpAgain.image)).toBeGreaterThan(edgeEnergy(blurred.image) * 1.5);

    // A value GEGL refuses: the preview says why.
    await page.click('.react-flow__node[data-id="map"]');
    await page.fill("#prop-stop1", "");
    await page.fill("#prop-stop1", "5");
    await expect
      .poll(() => page.textContent("#preview-error"), { timeout: 30_000 })
      .toMatch(/stop1/);
    await page.fill("#prop-stop1", "0");

    expect(await page.textContent("#runtime-status"), "no runtime error").toMatch(/^Connected/);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it("publishes to the edge, which serves it at once, lists the versions and rolls back", async () => {
    const { page, problems } = await openEditor(editorUrl());
    await openGraph(page, "gradientmap");
    await editColor(page, "#00ff00");

    await page.fill("#publish-name", "gradientmap_green");
    await page.fill("#publish-note", "green shadows");
    await answerTo(page, "#publish-graph", "Published gradientmap_green version 1");
    // The editor goes on with the published copy; its processing URL is the edge's.
    expect(await page.textContent("#published-url")).toContain(
      `${(edge as RunningEdge).url}/graph/gradientmap_green.jpg?`,
    );
    expect(await page.textContent("#published-url")).toContain("color1=%2300ff00");
    await nextPreview(page, null);
    const v1 = await servedLocation("gradientmap_green");
    await expect.poll(() => historyOf(page)).toEqual(["1 current"]);
    expect(await page.textContent('#graph-history [data-version="1"]')).toContain("green shadows");

    await answerTo(
      page,
      "#publish-graph",
      "Published gradientmap_green: unchanged, still version 1",
    );

    await editColor(page, "#0000ff");
    await page.fill("#publish-note", "blue shadows");
    await answerTo(page, "#publish-graph", "Published gradientmap_green version 2");
    await expect.poll(() => historyOf(page)).toEqual(["2 current", "1"]);
    const v2 = await servedLocation("gradientmap_green");
    expect(v2).not.toBe(v1);

    await answerTo(
      page,
      '#graph-history [data-version="1"] button',
      "Rolled gradientmap_green back to version 1",
    );
    await expect.poll(() => historyOf(page)).toEqual(["2", "1 current"]);
    // Version 1's results are cache hits again: the same key as before.
    expect(await servedLocation("gradientmap_green")).toBe(v1);
    await page.screenshot({ path: new URL("editor-publish.png", SCREENSHOTS).pathname });
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it("says why a wrong admin token is refused, and asks for another", async () => {
    const { page, problems } = await openEditor(editorUrl("not-the-admin-token"));
    await openGraph(page, "gradientmap");
    await answerTo(page, "#publish-graph", "The admin token is wrong.");
    await page.screenshot({ path: new URL("editor-token-refused.png", SCREENSHOTS).pathname });

    await page.click("text=Use another token");
    expect(await page.isDisabled("#publish-graph")).toBe(true);
    expect(await page.textContent("#publish-disabled")).toContain("admin token");
    await page.fill("#admin-token", (edge as RunningEdge).adminToken);
    await page.click("#use-token");
    await expect.poll(() => historyOf(page)).toEqual(["0 current"]);
    expect(await page.isDisabled("#publish-graph")).toBe(false);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);

  it("is linked from the testing UI", async () => {
    const home = await (await fetch(`${(edge as RunningEdge).url}/`)).text();
    expect(home).toContain('href="editor"');
  });
});
