import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { Deadline } from "./deadline.ts";

const noise = (size: number) =>
  sharp({
    create: {
      width: size,
      height: size,
      channels: 3,
      background: "#808080",
      noise: { type: "gaussian", mean: 128, sigma: 40 },
    },
  });

describe("Deadline", () => {
  it("answers a step libvips cannot stop at the deadline, and reports when it has stopped", async () => {
    const deadline = new Deadline(50);
    const events: string[] = [];
    // AVIF compresses the whole image in one call: libvips' timeout cannot interrupt it.
    const step = deadline.sharp(noise(1000).avif({ effort: 2 }), (image) => image.toBuffer());
    const answered = step.catch((error) => {
      events.push("answered");
      throw error;
    });
    await expect(answered).rejects.toMatchObject({
      status: 504,
      code: "render-timeout",
      message: "Rendering took longer than 0.05 s.",
    });
    await deadline.stepsStopped();
    events.push("stopped");
    expect(events).toEqual(["answered", "stopped"]);
  });

  it("runs steps that finish in time, then refuses new ones once it has passed", async () => {
    const deadline = new Deadline(60_000);
    await expect(
      deadline.sharp(noise(8).png(), (image) => image.toBuffer()),
    ).resolves.toBeInstanceOf(Buffer);
    const passed = new Deadline(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(() => passed.left()).toThrow("Rendering took longer than 0.001 s.");
  });
});
