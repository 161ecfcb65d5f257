import sharp from "sharp";

/** A 200×100 PNG, red on the left half and blue on the right: where pixels went is easy to see. */
export async function redBlueHalves(): Promise<Buffer> {
  return sharp({ create: { width: 200, height: 100, channels: 3, background: "#0000ff" } })
    .composite([
      {
        input: { create: { width: 100, height: 100, channels: 3, background: "#ff0000" } },
        left: 0,
        top: 0,
      },
    ])
    .png()
    .toBuffer();
}
