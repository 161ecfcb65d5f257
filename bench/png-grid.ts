/**
 * `tsx bench/png-grid.ts`: CPU ms and bytes of sharp's PNG encoder over a grid of settings, on
 * three origin outputs (W2's blurred mountains.png, a gradientmap of grid-toastybob.jpg, a
 * 256 px thumbnail), encoded from raw pixels as the origin does. Not a test.
 */
import sharp from "sharp";
import { startFixtureServer } from "../test/harness/fixture-server.ts";
import { startOrigin } from "../test/harness/origin.ts";

const REPEATS = Number(process.env.REPEATS ?? 6);
const fixtures = await startFixtureServer();
const origin = await startOrigin({ ALLOW_PRIVATE_INPUTS: "1" });
const input = (name: string) => encodeURIComponent(fixtures.at(`images/${name}`));
const outputs: Record<string, string> = {
  "W2 blurred mountains 1.44 MP": `graph/gaussianblur.png?input=${input("mountains.png")}&std-dev-x=10&std-dev-y=10`,
  "gradientmap grid-toastybob": `graph/gradientmap.png?input=${input("grid-toastybob.jpg")}`,
  "thumbnail 256 px": `graph/passthrough.png?input=${input("grid-toastybob.jpg")}&width=256`,
};
const settings = [
  { compressionLevel: 4, adaptiveFiltering: true },
  { compressionLevel: 6, adaptiveFiltering: false },
  ...[1, 2, 3, 4, 6].flatMap((compressionLevel) => [
    { compressionLevel, adaptiveFiltering: false },
    { compressionLevel, adaptiveFiltering: true },
  ]),
].filter((s, i, all) => all.findIndex((t) => JSON.stringify(t) === JSON.stringify(s)) === i);
try {
  for (const [name, path] of Object.entries(outputs)) {
    const response = await origin.get(path);
    if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
    const { data, info } = await sharp(Buffer.from(await response.arrayBuffer()))
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw = { width: info.width, height: info.height, channels: info.channels };
    console.log(`${name}: ${info.width}x${info.height}, ${info.channels} channels`);
    for (const setting of settings) {
      const encode = () => sharp(data, { raw }).png(setting).toBuffer();
      await encode();
      const before = process.cpuUsage();
      let bytes = 0;
      for (let i = 0; i < REPEATS; i++) bytes = (await encode()).length;
      const used = process.cpuUsage(before);
      const ms = (used.user + used.system) / 1000 / REPEATS;
      console.log(
        `  level ${setting.compressionLevel} filtering ${setting.adaptiveFiltering ? "adaptive" : "none    "}: ${ms.toFixed(1)} ms CPU, ${(bytes / 1024).toFixed(1)} KB`,
      );
    }
  }
} finally {
  await origin.stop();
  await fixtures.close();
}
