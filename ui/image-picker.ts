import { h } from "./create-element.ts";
import { EXAMPLE_IMAGES } from "./example-images.ts";

/** The example images as buttons, one click picking one; for `input` and each image inport. */
export function exampleButtons(label: string, pick: (path: string) => void): HTMLFieldSetElement {
  const buttons = EXAMPLE_IMAGES.map((example) => {
    const button = h(
      "button",
      { type: "button", class: "example", "data-path": example.path, title: example.label },
      [h("img", { src: example.path, alt: example.label, decoding: "async" })],
    );
    button.addEventListener("click", () => pick(example.path));
    return button;
  });
  return h("fieldset", { class: "examples" }, [
    h("legend", { class: "visually-hidden" }, [label]),
    ...buttons,
  ]);
}

/** Shows which example (if any) a field's URL is. */
export function markPicked(examples: HTMLElement, url: string): void {
  for (const button of examples.querySelectorAll<HTMLButtonElement>("button.example")) {
    button.setAttribute("aria-pressed", String(button.dataset.path === url.trim()));
  }
}
