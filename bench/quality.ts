/**
 * `npm run bench:quality`: bytes and fidelity (luma PSNR and SSIM against the source) of the
 * origin's JPEG, WebP and AVIF encoders over the photo fixtures, for each `quality`. The defaults
 * in origin/steps/encode.ts (DEFAULT_QUALITY) come from this table.
 * Writes bench/results/quality.json and prints a table.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import sharp from "sharp";
import { Deadline } from "../origin/admission/deadline.ts";
import { encode } from "../origin/steps/encode.ts";
import { DEFAULT_IMAGE_OPTIONS } from "../shared/image-options.ts";
import { FIXTURE_IMAGES_DIR } from "../test/harness/fixture-server.ts";

const RESULTS = new URL("results/quality.json", import.meta.url);
const PHOTOS = ["gridbear.jpg", "grid-toastybob.jpg", "mountains.png", "cmyk-color.jpg"];
const FORMATS = ["jpeg", "webp", "avif"] as const;
const QUALITIES = [30, 40, 50, 55, 60, 65, 70, 75, 80, 85, 90, 95];

async function luma(bytes: Buffer): Promise<Plane> {
  const { data, info } = await sharp(bytes)
    .toColourspace("b-w")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

interface Plane {
  data: Buffer;
  width: number;
  height: number;
}

function psnr(a: Plane, b: Plane): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++)
    sum += ((a.data[i] as number) - (b.data[i] as number)) ** 2;
  const mse = sum / a.data.length;
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
}

const WINDOW = 8;
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

/** Mean SSIM over 8×8 windows (Wang et al. 2004, without the Gaussian weighting). */
function ssim(a: Plane, b: Plane): number {
  let total = 0;
  let windows = 0;
  for (let y = 0; y + WINDOW <= a.height; y += WINDOW) {
    for (let x = 0; x + WINDOW <= a.width; x += WINDOW) {
      let [sa, sb, saa, sbb, sab] = [0, 0, 0, 0, 0];
      for (let dy = 0; dy < WINDOW; dy++) {
        for (let dx = 0; dx < WINDOW; dx++) {
          const i = (y + dy) * a.width + x + dx;
          const [va, vb] = [a.data[i] as number, b.data[i] as number];
          sa += va;
          sb += vb;
          saa += va * va;
          sbb += vb * vb;
          sab += va * vb;
        }
      }
      const n = WINDOW * WINDOW;
      const [ma, mb] = [sa / n, sb / n];
      const [va, vb, cov] = [saa / n - ma * ma, sbb / n - mb * mb, sab / n - ma * mb];
      total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      windows++;
    }
  }
  return total / windows;
}

interface Row {
  format: (typeof FORMATS)[number];
  quality: number;
  /** Bytes summed over the photos. */
  bytes: number;
  /** Mean luma PSNR over the photos, dB. */
  psnr: number;
  /** Mean luma SSIM over the photos. */
  ssim: number;
}

const sources = await Promise.all(
  PHOTOS.map(async (name) => {
    const png = await sharp(await readFile(join(FIXTURE_IMAGES_DIR, name)))
      .toColourspace("srgb")
      .png()
      .toBuffer();
    const { width = 0, height = 0 } = await sharp(png).metadata();
    return { png, pixels: width * height, luma: await luma(png) };
  }),
);

// A measurement, not a request: no render deadline to speak of.
const ENCODE_LIMIT_MS = 600_000;

const rows: Row[] = [];
for (const format of FORMATS) {
  for (const quality of QUALITIES) {
    let bytes = 0;
    let [totalPsnr, totalSsim] = [0, 0];
    for (const source of sources) {
      const encoded = await encode(
        sharp(source.png),
        format,
        { ...DEFAULT_IMAGE_OPTIONS, quality },
        new Deadline(ENCODE_LIMIT_MS),
        source.pixels,
      );
      bytes += encoded.length;
      const decoded = await luma(encoded);
      totalPsnr += psnr(source.luma, decoded);
      totalSsim += ssim(source.luma, decoded);
    }
    const mean = (total: number, digits: number) =>
      Number((total / sources.length).toFixed(digits));
    rows.push({ format, quality, bytes, psnr: mean(totalPsnr, 2), ssim: mean(totalSsim, 4) });
  }
}

await mkdir(new URL(".", RESULTS), { recursive: true });
await writeFile(RESULTS, `${JSON.stringify(rows, null, 2)}\n`);
console.table(rows);
