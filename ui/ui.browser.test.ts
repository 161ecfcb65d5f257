import { mkdir, rm } from "node:fs/promises";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUi } from "../scripts/build-ui.ts";
import { launchChromium } from "../test/harness/chromium.ts";
import {
  type ApplicationRow,
  addApplication,
  freshDatabase,
  type RunningEdge,
  startEdge,
} from "../test/harness/edge.ts";
import { type OriginProcess, startOrigin } from "../test/harness/origin.ts";

const SCREENSHOTS = new URL("../test-results/", import.meta.url);
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 390, height: 844 };

let browser: Browser | undefined;
let origin: OriginProcess | undefined;
let edge: RunningEdge | undefined;
let persistDir: string | undefined;
let application: ApplicationRow;
let base: string;

/** The real stack: a GEGL origin behind the Worker in workerd, with one application for signing. */
async function startStack(): Promise<void> {
  const originSecret = "ui-test-origin-secret";
  // Relative inputs (files/...) resolve against the edge on loopback, which the origin must fetch.
  origin = await startOrigin({ ORIGIN_SECRET: originSecret, ALLOW_PRIVATE_INPUTS: "true" });
  persistDir = await freshDatabase();
  application = await addApplication(persistDir, { name: "ui-test" });
  edge = await startEdge({
    originUrls: [origin.url],
    originSecret,
    allowUnsigned: true,
    persistDir,
  });
  base = `${edge.url}/`;
  const home = await (await fetch(base)).text();
  if (!home.includes('id="request-form"')) {
    throw new Error(
      "The edge serves no testing UI: run scripts/setup.sh (build-ui before stage-edge-assets).",
    );
  }
}

async function openPage(viewport: { width: number; height: number }, path = ""): Promise<Page> {
  const page = await (browser as Browser).newPage({ viewport });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(new URL(path, base).href);
  await page.waitForSelector("body[data-ready], #graph-notice:not([hidden])", { timeout: 10_000 });
  const notice = await page.$eval("#graph-notice", (element) =>
    element.hasAttribute("hidden") ? "" : element.textContent,
  );
  expect(notice, "the page shows a notice instead of the form").toBe("");
  expect(problems).toEqual([]);
  return page;
}

async function renderAndWait(page: Page): Promise<{ width: number; height: number }> {
  await page.click("#render");
  await page.waitForSelector('#result-stage[data-state="image"]:not([data-busy])', {
    timeout: 60_000,
  });
  return page.$eval("#result-image", (image) => {
    const img = image as HTMLImageElement;
    return { width: img.naturalWidth, height: img.naturalHeight };
  });
}

async function screenshot(page: Page, name: string, atTop = true): Promise<void> {
  if (atTop) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: new URL(`${name}.png`, SCREENSHOTS).pathname });
}

describe("testing UI in Chromium", () => {
  beforeAll(async () => {
    await buildUi();
    await mkdir(SCREENSHOTS, { recursive: true });
    await startStack();
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await edge?.stop();
    await origin?.stop();
    if (persistDir) await rm(persistDir, { recursive: true, force: true });
  });

  it("renders gradientmap on a bundled image with a changed colour", async () => {
    const page = await openPage(DESKTOP);
    await page.click('label[data-graph="gradientmap"]');
    await expect.poll(() => page.$eval("#params", (box) => box.children.length)).toBeGreaterThan(0);
    await page.click('button[data-path="files/mountains.png"]');
    expect(await page.inputValue("#input-url")).toBe("files/mountains.png");
    await page.locator('[data-param="color1"] input[type="color"]').fill("#ff0066");
    expect(await page.inputValue('input[name="color1"]')).toBe("#ff0066");
    await page.fill("#width", "360");
    const url = await page.textContent("#processing-url");
    expect(url).toContain("/graph/gradientmap?");
    expect(url).toContain("color1=%23ff0066");
    expect(url).toContain("input=files%2Fmountains.png");

    expect(await renderAndWait(page)).toEqual({ width: 360, height: 250 });
    expect(await page.textContent("#result-status")).toMatch(/^200\b/);
    expect(await page.textContent("#result-time")).toMatch(/^\d+(\.\d+)? m?s$/);
    // The render's Server-Timing as a bar: one segment per step the origin timed.
    await expect
      .poll(() =>
        page.$$eval("#result-timing .timing-segment", (all) => all.map((s) => s.dataset.step)),
      )
      .toEqual(["fetch", "decode", "queue", "render", "encode"]);
    expect(await page.textContent("#result-timing .timing-legend")).toMatch(/^fetch [\d.]+ ms/);
    await screenshot(page, "ui-desktop");
    await page.close();
  });

  it("picks an overlay for the watermark graph's image inport and renders it", async () => {
    const page = await openPage(DESKTOP);
    await page.click('label[data-graph="watermark"]');
    const overlay = page.locator('[data-param="overlay"]');
    await expect.poll(() => overlay.count()).toBe(1);
    expect(await page.textContent("#processing-note")).toMatch(/Choose an image for overlay/);
    await page.click('#examples button[data-path="files/mountains.png"]');
    await overlay.locator('button[data-path="files/gridbear.jpg"]').click();
    expect(await page.inputValue("#param-overlay")).toBe("files/gridbear.jpg");
    expect(await overlay.locator('button[aria-pressed="true"]').getAttribute("data-path")).toBe(
      "files/gridbear.jpg",
    );
    await page.selectOption("#param-position", "northwest");
    await page.fill("#width", "300");
    const url = await page.textContent("#processing-url");
    expect(url).toContain("/graph/watermark?");
    expect(url).toContain("overlay=files%2Fgridbear.jpg");
    expect(url).toContain("position=northwest");
    expect(await page.isHidden("#processing-note")).toBe(true);
    expect(await renderAndWait(page)).toEqual({ width: 300, height: 208 });
    expect(await page.textContent("#result-status")).toMatch(/^200\b/);
    await screenshot(page, "ui-watermark");
    await page.close();
  });

  it("shows fit, gravity, quality and the other image options with the output size", async () => {
    const page = await openPage(DESKTOP, "?graph=passthrough&input=files%2Fmountains.png");
    for (const option of ["fit", "gravity", "background", "dpr", "quality", "metadata"]) {
      expect(await page.locator(`#image-options [data-param="${option}"]`).count()).toBe(1);
    }
    expect(await page.locator('#params [data-param="fit"]').count()).toBe(0);
    await page.selectOption("#format", "auto");
    await page.fill("#width", "100");
    await page.fill("#height", "100");
    await page.selectOption('select[name="fit"]', "cover");
    await page.selectOption('select[name="gravity"]', "attention");
    await page.fill('input[name="dpr"]', "1.5");
    const url = await page.textContent("#processing-url");
    expect(url).toContain("/graph/passthrough.auto?");
    expect(url).toContain("fit=cover");
    expect(url).toContain("gravity=attention");
    expect(await renderAndWait(page)).toEqual({ width: 150, height: 150 });
    await screenshot(page, "ui-image-options");
    await page.close();
  });

  it("explains a failed render in plain words", async () => {
    const page = await openPage(
      DESKTOP,
      "?graph=gradientmap&format=png&input=files%2Fgridbear.jpg&opacity=3",
    );
    await page.click("#render");
    await page.waitForSelector('#result-stage[data-state="error"]:not([data-busy])', {
      timeout: 60_000,
    });
    expect(await page.textContent("#result-status")).toMatch(/^422\b/);
    expect(await page.textContent("#error-headline")).toMatch(/beyond what the server allows/);
    expect(await page.textContent("#error-message")).toContain("opacity");
    await page.close();
  });

  it("opens a debug=1 processing URL with the form pre-filled and the input decoded", async () => {
    const input = new URL("files/gridbear.jpg?size=large", base).href;
    const page = await openPage(
      DESKTOP,
      `graph/gradientmap.jpg?color2=%2300ff00&input=${encodeURIComponent(input)}&opacity=0.5&debug=1`,
    );
    expect(new URL(page.url()).pathname).toBe("/");
    expect(
      await page.$eval('input[name="graph"]:checked', (radio) => (radio as HTMLInputElement).value),
    ).toBe("gradientmap");
    expect(await page.inputValue("#input-url")).toBe(input);
    expect(await page.inputValue("#format")).toBe("jpg");
    expect(await page.inputValue('input[name="color2"]')).toBe("#00ff00");
    expect(await page.inputValue('input[name="opacity"]')).toBe("0.5");
    expect(await page.textContent("#processing-url")).toContain(
      `/graph/gradientmap.jpg?color2=%2300ff00&input=${encodeURIComponent(input)}&opacity=0.5`,
    );
    await page.close();
  });

  it("signs URLs with an application's key and secret, kept in the tab", async () => {
    const page = await openPage(
      DESKTOP,
      "?graph=gradientmap&format=png&input=files%2Fgridbear.jpg&width=64",
    );
    await page.click("#signing summary");
    await page.fill("#api-key", application.key);
    await page.fill("#api-secret", application.secret);
    expect(await page.textContent("#signing-state")).toBe("signed");
    expect(await page.textContent("#processing-url")).toMatch(
      new RegExp(`/graph/${application.key}/[0-9a-f]{32}/gradientmap\\.png\\?input=`),
    );
    expect(await renderAndWait(page)).toEqual({ width: 64, height: 64 });
    expect(page.url()).not.toContain(application.secret);

    await page.reload();
    await page.waitForSelector("body[data-ready]");
    expect(await page.inputValue("#api-secret")).toBe(application.secret);
    await page.fill("#api-secret", "not-the-secret");
    await page.click("#render");
    await page.waitForSelector('#result-stage[data-state="error"]:not([data-busy])', {
      timeout: 60_000,
    });
    expect(await page.textContent("#result-status")).toMatch(/^403\b/);
    await page.close();
  });

  it("fits a phone screen", async () => {
    const page = await openPage(
      PHONE,
      "?graph=gradientmap&format=webp&input=files%2Fgridbear.jpg&width=300",
    );
    await screenshot(page, "ui-phone");
    expect(await renderAndWait(page)).toEqual({ width: 300, height: 300 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await page.locator("#result-stage").scrollIntoViewIfNeeded();
    await screenshot(page, "ui-phone-result", false);
    await page.close();
  });
});
