import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import {
  meanDifference,
  type OriginProcess,
  readImage,
  startOrigin,
} from "../test/harness/origin.ts";
import { logLinesOf } from "../test/harness/request-log.ts";

// An image inport's image that imgflo:place draws smaller than half its size is decoded at a
// half, a quarter or an eighth of it (compile/drawn-size.ts, steps/images.ts decodeSize): the
// same picture as from the whole image, fewer pixels decoded and scaled. The overlay is a grid of
// one-pixel lines, where two ways of scaling differ most: within 2 levels on average.
let origin: OriginProcess;
let fixtures: FixtureServer;

beforeAll(async () => {
  fixtures = await startFixtureServer();
  origin = await startOrigin({ ALLOW_PRIVATE_INPUTS: "1" });
});

afterAll(async () => {
  await origin?.stop();
  await fixtures?.close();
});

/** The overlay, 768 x 1024. */
const OVERLAY = "images/grid-toastybob.jpg";
const OVERLAY_PIXELS = 768 * 1024;

/** input → base ─┬→ blend; overlay [→ nop] → place (its frame: base) → blend's aux. */
function placed(place: Record<string, string | number>, nopFirst: boolean) {
  const overlayPad = nopFirst
    ? { process: "hold", port: "input" }
    : { process: "place", port: "input" };
  return {
    inports: {
      input: { process: "base", port: "input" },
      overlay: { ...overlayPad, metadata: { type: "image" } },
    },
    outports: { output: { process: "over", port: "output" } },
    processes: {
      base: { component: "gegl/nop" },
      ...(nopFirst ? { hold: { component: "gegl/nop" } } : {}),
      place: { component: "imgflo/place" },
      over: { component: "imgflo/blend" },
    },
    connections: [
      { src: { process: "base", port: "output" }, tgt: { process: "over", port: "input" } },
      { src: { process: "base", port: "output" }, tgt: { process: "place", port: "aux" } },
      { src: { process: "place", port: "output" }, tgt: { process: "over", port: "aux" } },
      ...(nopFirst
        ? [{ src: { process: "hold", port: "output" }, tgt: { process: "place", port: "input" } }]
        : []),
      ...Object.entries(place).map(([port, data]) => ({ data, tgt: { process: "place", port } })),
    ],
  };
}

let requests = 0;

async function render(place: Record<string, string | number>, nopFirst: boolean, width: number) {
  const requestId = `overlay-decode-${++requests}`;
  const input = encodeURIComponent(fixtures.at("images/gridbear.jpg"));
  const overlay = encodeURIComponent(fixtures.at(OVERLAY));
  const name = nopFirst ? "whole-overlay" : "drawn-overlay";
  const image = await readImage(
    fetch(
      new URL(`graph/${name}.png?input=${input}&overlay=${overlay}&width=${width}`, origin.url),
      {
        method: "POST",
        headers: { "content-type": "application/json", "x-request-id": requestId },
        body: JSON.stringify({ name, version: requests, definition: placed(place, nopFirst) }),
      },
    ),
  );
  const [line] = await logLinesOf(origin, requestId);
  return { image, imagePixels: line?.decodedImagePixels };
}

describe("an overlay that imgflo:place draws small", () => {
  it.each([
    ["a watermark a tenth of the width", { fit: "width", scale: 0.1 }, 300, 96 * 128],
    ["a watermark at place's default scale", {}, 600, 192 * 256],
    ["a cover of a smaller image", { fit: "cover" }, 300, 384 * 512],
  ])(
    "%s is decoded at a fraction of its size, to the same picture",
    async (_, place, width, pixels) => {
      const drawn = await render(place, false, width);
      const whole = await render(place, true, width);
      expect(whole.imagePixels).toBe(OVERLAY_PIXELS);
      expect(drawn.imagePixels).toBe(pixels);
      expect([drawn.image.width, drawn.image.height]).toEqual([
        whole.image.width,
        whole.image.height,
      ]);
      expect(meanDifference(drawn.image, whole.image)).toBeLessThan(2);
    },
  );

  it("is decoded whole when it is drawn larger than half of it", async () => {
    const cover = await render({ fit: "cover" }, false, 1000);
    expect(cover.imagePixels).toBe(OVERLAY_PIXELS);
  });
});
