import { h } from "./create-element.ts";
import type { GraphForm } from "./param-fields.ts";

/** The graphs whose name or description contains every word of the query. */
export function filterGraphs<T extends Pick<GraphForm, "name" | "description">>(
  graphs: readonly T[],
  query: string,
): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return graphs.filter((graph) => {
    const text = `${graph.name} ${graph.description}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** A searchable list of graphs with their descriptions; one radio button each. */
export class GraphPicker {
  private readonly options = new Map<string, HTMLLabelElement>();

  constructor(
    private readonly search: HTMLInputElement,
    private readonly list: HTMLElement,
    private readonly empty: HTMLElement,
    private readonly graphs: readonly GraphForm[],
    onSelect: (name: string) => void,
  ) {
    for (const graph of graphs) {
      const option = h("label", { class: "graph-option", "data-graph": graph.name }, [
        h("input", { type: "radio", name: "graph", value: graph.name }),
        h("span", { class: "graph-name" }, [
          graph.name,
          ...(graph.takesInput ? [] : [h("span", { class: "tag" }, ["generator"])]),
        ]),
        h("span", { class: "graph-description", title: graph.description }, [graph.description]),
      ]);
      this.options.set(graph.name, option);
      list.appendChild(option);
    }
    list.addEventListener("change", (event) => {
      const target = event.target as HTMLInputElement;
      if (target.name === "graph") onSelect(target.value);
    });
    search.addEventListener("input", () => this.applyFilter());
    search.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const first = filterGraphs(this.graphs, search.value)[0];
      if (first) {
        this.select(first.name);
        onSelect(first.name);
      }
    });
  }

  /** Checks the graph's radio and scrolls the list (not the page) to show it. */
  select(name: string): void {
    const option = this.options.get(name);
    const radio = option?.querySelector("input");
    if (!option || !radio) return;
    radio.checked = true;
    this.list.scrollTop = option.offsetTop - (this.list.clientHeight - option.offsetHeight) / 2;
  }

  private applyFilter(): void {
    const shown = new Set(filterGraphs(this.graphs, this.search.value).map((graph) => graph.name));
    for (const [name, option] of this.options) option.hidden = !shown.has(name);
    this.empty.hidden = shown.size > 0;
  }
}
