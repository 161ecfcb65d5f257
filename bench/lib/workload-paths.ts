/**
 * The origin request of each benchmark workload, shared by `bench/origin.ts` (against ipx) and
 * `bench/cpu.ts` (CPU per request). Request `index` varies a parameter over VARIANTS values, so
 * that no two requests in flight share a render.
 */
export const VARIANTS = 64;
export const GRID = "grid-toastybob.jpg";

/** `input(name)`: the encoded URL of a fixture image, as the origin should fetch it. */
export type WorkloadPath = (index: number, input: (name: string) => string) => string;

export const width = (index: number) => 200 + (index % VARIANTS);
export const stdDev = (index: number) => (10 + (index % VARIANTS) / 100).toFixed(2);

/** A resize of grid-toastybob.jpg to `extension`, without any effect. */
const resizePath =
  (extension: string): WorkloadPath =>
  (i, input) =>
    `graph/passthrough.${extension}?input=${input(GRID)}&width=${width(i)}`;

export const WORKLOAD_PATHS = {
  W1: (i, input) =>
    `graph/gaussianblur.jpg?input=${input(GRID)}&width=${width(i)}&std-dev-x=2&std-dev-y=2`,
  W2: (i, input) =>
    `graph/gaussianblur.png?input=${input("mountains.png")}&std-dev-x=${stdDev(i)}&std-dev-y=${stdDev(i)}`,
  W3: resizePath("webp"),
  W4: resizePath("jpg"),
  W5: resizePath("avif"),
  W6: (i, input) =>
    `graph/gradientmap.webp?input=${input(GRID)}&opacity=${(0.5 + (i % VARIANTS) / 128).toFixed(4)}`,
  W7: (i, input) =>
    `graph/passthrough.gif?input=${input("time.gif")}&width=${100 + (i % VARIANTS)}`,
} satisfies Record<string, WorkloadPath>;

export type WorkloadId = keyof typeof WORKLOAD_PATHS;
