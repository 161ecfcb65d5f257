import { useState } from "react";
import { type ComponentInfo, paletteMatches } from "./components.ts";

const SHOWN = 60;

/** A searchable list of components; choosing one adds it (into the selected edge, if any). */
export function Palette({
  components,
  onPick,
  hint,
}: {
  components: ReadonlyMap<string, ComponentInfo>;
  onPick(name: string): void;
  hint: string;
}) {
  const [query, setQuery] = useState("");
  const matches = paletteMatches(components.values(), query);
  return (
    <section className="editor-section palette" aria-label="Components">
      <div className="section-head">
        <h2>Components</h2>
        <span className="section-aside">{matches.length}</span>
      </div>
      <input
        id="palette-search"
        className="search"
        type="search"
        placeholder="Search operations…"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <p className="muted small">{hint}</p>
      <ul className="palette-list">
        {matches.slice(0, SHOWN).map((component) => (
          <li key={component.name}>
            <button
              type="button"
              data-component={component.name}
              title={component.description}
              onClick={() => onPick(component.name)}
            >
              {component.name}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
