import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUi } from "../../scripts/build-ui.ts";
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

let browser: Browser | undefined;
let origin: OriginProcess | undefined;
let edge: RunningEdge | undefined;
let persistDir: string | undefined;
let editorUrl: string;
let saveDir: string;

/** The real stack: the Worker in workerd serving /editor, a GEGL origin running the FBP runtime. */
beforeAll(async () => {
  await buildUi();
  await mkdir(SCREENSHOTS, { recursive: true });
  const originSecret = "editor-test-origin-secret";
  const runtimePort = await freePort();
  persistDir = await freshDatabase();
  saveDir = join(persistDir, "saved-graphs");
  origin = await startOrigin({
    ORIGIN_SECRET: originSecret,
    RENDER_CONCURRENCY: "1",
    RUNTIME_PORT: String(runtimePort),
    RUNTIME_SECRET,
    RUNTIME_SAVE_DIR: saveDir,
  });
  edge = await startEdge({
    originUrls: [origin.url],
    originSecret,
    allowUnsigned: true,
    persistDir,
  });
  const hash = new URLSearchParams({
    runtime: `ws://127.0.0.1:${runtimePort}/`,
    secret: RUNTIME_SECRET,
  });
  editorUrl = `${edge.url}/editor#${hash}`;
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
    const page = await (browser as Browser).newPage({
      viewport: { width: 1400, height: 900 },
      acceptDownloads: true,
    });
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(editorUrl);
    await page.waitForSelector('.editor[data-status="ready"]', { timeout: 30_000 });

    await page.selectOption("#open-graph", "gradientmap");
    await page.waitForSelector('.react-flow__node[data-id="map"]', { timeout: 30_000 });
    const original = await nextPreview(page, null);
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

    // Save (network:persist) writes the graph as a catalogue file, as npm start does into graphs/;
    // under a new name the editor goes on with the copy.
    await page.fill("#save-name", "gradientmap_red");
    await page.click("#save-graph");
    await expect
      .poll(() => page.textContent(".editor-side"), { timeout: 10_000 })
      .toContain("Saved as graphs/gradientmap_red.json");
    const saved = await readFile(join(saveDir, "gradientmap_red.json"), "utf8");
    expect(
      buildCatalogue([
        parseGraphSource({ name: "gradientmap_red", kind: "json", text: saved }),
      ]).get("gradientmap_red"),
    ).toMatchObject({ input: { process: "nop", port: "input" } });
    expect(saved).toContain("#ff0000");
    await page.waitForSelector('.react-flow__node[data-id="map"]');
    await nextPreview(page, null);

    expect(await page.textContent("#runtime-status"), "no runtime error").toMatch(/^Connected/);
    expect(problems).toEqual([]);
    await page.close();
  }, 180_000);

  it("is linked from the testing UI", async () => {
    const home = await (await fetch(`${(edge as RunningEdge).url}/`)).text();
    expect(home).toContain('href="editor"');
  });
});
