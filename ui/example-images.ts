/** The example images the server bundles at `/files/<name>`, one click away in the input section. */
export const EXAMPLE_IMAGES = [
  { path: "files/gridbear.jpg", label: "Grid bear, JPEG 150×150" },
  { path: "files/grid-toastybob.jpg", label: "Toasty Bob, JPEG 768×1024" },
  { path: "files/mountains.png", label: "Mountains, PNG 1440×1000" },
  { path: "files/happy-kitten.svg", label: "Happy kitten, SVG 744×579" },
  { path: "files/time.gif", label: "Clock, animated GIF 500×500" },
  { path: "files/gradient-black-white.png", label: "Gradient, PNG 600×200" },
] as const;
