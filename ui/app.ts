import type { CatalogueDocument } from "../shared/catalogue.ts";
import { IMAGE_OPTION_PARAMETERS } from "../shared/image-options.ts";
import { copyText } from "./copy-text.ts";
import { byId, h } from "./create-element.ts";
import { EXAMPLE_IMAGES } from "./example-images.ts";
import { FORMAT_CHOICES, type FormState } from "./form-state.ts";
import { GraphPicker } from "./graph-picker.ts";
import { exampleButtons, markPicked } from "./image-picker.ts";
import { type PageQuery, pageSearch, parsePageQuery } from "./page-query.ts";
import { fieldValueFrom, type GraphForm, graphForm, isDefaultValue } from "./param-fields.ts";
import { type ParamInput, paramInput } from "./param-inputs.ts";
import { processingNote, processingUrl, requestParams } from "./processing-url.ts";
import { fetchRender } from "./render-outcome.ts";
import { ResultPanel } from "./result-panel.ts";
import { loadCredentials, saveCredentials } from "./signing-store.ts";
import { urlParts } from "./url-highlight.ts";

/** Graphs worth opening first when the page query names none. */
const PREFERRED_GRAPHS = ["gradientmap", "passthrough"];

const form = byId<HTMLFormElement>("request-form");
const inputUrl = byId<HTMLInputElement>("input-url");
const formatSelect = byId<HTMLSelectElement>("format");
const widthInput = byId<HTMLInputElement>("width");
const heightInput = byId<HTMLInputElement>("height");
const keyInput = byId<HTMLInputElement>("api-key");
const secretInput = byId<HTMLInputElement>("api-secret");
const paramsBox = byId<HTMLElement>("params");
const imageOptionsBox = byId<HTMLElement>("image-options");
const urlOutput = byId<HTMLOutputElement>("processing-url");
const openLink = byId<HTMLAnchorElement>("open-url");
const note = byId<HTMLElement>("processing-note");
const examples = byId<HTMLElement>("examples");
const results = new ResultPanel();

let current: { form: GraphForm; inputs: ParamInput[] } | null = null;
let rendering: AbortController | null = null;
let currentUrl = "";

function readState(): FormState {
  return {
    input: inputUrl.value,
    format: formatSelect.value,
    width: widthInput.value,
    height: heightInput.value,
    params: Object.fromEntries(
      (current?.inputs ?? []).map((input) => [input.field.name, input.get()]),
    ),
  };
}

function serverBase(): string {
  return new URL(".", window.location.href).href;
}

/** Rebuilds the URL box, the notes and the page's own query from the form. */
function refresh(): void {
  if (!current) return;
  const state = readState();
  const key = keyInput.value.trim();
  const secret = secretInput.value.trim();
  const url = processingUrl({ server: serverBase(), key, secret }, current.form, state);
  currentUrl = url;
  urlOutput.replaceChildren(
    ...urlParts(url).map((part) => h("span", { class: `url-${part.kind}` }, [part.text])),
  );
  openLink.href = url;
  const signingNote =
    Boolean(key) !== Boolean(secret) ? "Give both the key and the secret to sign the URL." : null;
  const message = processingNote(current.form, state) ?? signingNote;
  note.textContent = message ?? "";
  note.hidden = message === null;
  const signingState = byId("signing-state");
  signingState.textContent = key && secret ? "signed" : "unsigned";
  signingState.dataset.on = String(Boolean(key && secret));
  for (const input of current.inputs) {
    input.element.toggleAttribute("data-changed", !isDefaultValue(input.field, input.get()));
  }
  markPicked(examples, state.input);
  const search = pageSearch(current.form.name, state.format, requestParams(current.form, state));
  window.history.replaceState(null, "", search);
}

function selectGraph(graph: GraphForm, values: Record<string, string> = {}): void {
  const inputs = graph.params.map(paramInput);
  for (const input of inputs) {
    const value = values[input.field.name];
    if (value !== undefined) input.set(fieldValueFrom(input.field, value));
  }
  // Options every graph takes (fit, quality...) sit with the size in the Output section.
  const isImageOption = (input: ParamInput) => input.field.name in IMAGE_OPTION_PARAMETERS;
  const own = inputs.filter((input) => !isImageOption(input));
  paramsBox.replaceChildren(...own.map((input) => input.element));
  imageOptionsBox.replaceChildren(...inputs.filter(isImageOption).map((input) => input.element));
  byId("params-empty").hidden = own.length > 0;
  byId("graph-description").textContent = graph.description;
  byId("input-section").hidden = !graph.takesInput;
  current = { form: graph, inputs };
  refresh();
}

function buildStaticControls(): void {
  formatSelect.replaceChildren(
    h("option", { value: "" }, ["same as input"]),
    ...FORMAT_CHOICES.map((extension) => h("option", { value: extension }, [extension])),
  );
  examples.replaceChildren(
    exampleButtons("Example inputs", (path) => {
      inputUrl.value = path;
      refresh();
    }),
  );
}

function applyQuery(query: PageQuery, graphs: GraphForm[]): GraphForm {
  const named = graphs.find((graph) => graph.name === query.graph);
  const preferred = PREFERRED_GRAPHS.map((name) => graphs.find((graph) => graph.name === name));
  const graph = named ?? preferred.find((found) => found !== undefined) ?? (graphs[0] as GraphForm);
  formatSelect.value = query.format;
  inputUrl.value = query.params.input ?? (query.graph ? "" : EXAMPLE_IMAGES[0].path);
  widthInput.value = query.params.width ?? "";
  heightInput.value = query.params.height ?? "";
  return graph;
}

async function render(): Promise<void> {
  refresh();
  const url = currentUrl;
  rendering?.abort();
  const controller = new AbortController();
  rendering = controller;
  results.pending();
  if (window.matchMedia("(max-width: 899px)").matches) {
    byId("result-stage").scrollIntoView({ behavior: "smooth", block: "center" });
  }
  try {
    results.show(await fetchRender(url, controller.signal), url);
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
}

async function loadCatalogue(): Promise<CatalogueDocument> {
  const response = await fetch("graphs", { headers: { accept: "application/json" } });
  if (!response.ok) throw new Error(`GET /graphs answered ${response.status}`);
  return (await response.json()) as CatalogueDocument;
}

function wireEvents(): void {
  form.addEventListener("input", (event) => {
    if ((event.target as HTMLElement).id !== "graph-search") refresh();
  });
  form.addEventListener("change", refresh);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void render();
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void render();
    }
  });
  for (const field of [keyInput, secretInput]) {
    field.addEventListener("input", () =>
      saveCredentials({ key: keyInput.value.trim(), secret: secretInput.value.trim() }),
    );
  }
  byId("reset-params").addEventListener("click", () => {
    for (const input of current?.inputs ?? []) input.set(input.field.default);
    refresh();
  });
  byId("copy-url").addEventListener("click", async (event) => {
    const button = event.currentTarget as HTMLButtonElement;
    button.textContent = (await copyText(currentUrl)) ? "Copied" : "Copy failed";
    window.setTimeout(() => (button.textContent = "Copy"), 1500);
  });
}

function showGraphNotice(message: string): void {
  const notice = byId("graph-notice");
  notice.textContent = message;
  notice.hidden = false;
}

async function start(): Promise<void> {
  const credentials = loadCredentials();
  keyInput.value = credentials.key;
  secretInput.value = credentials.secret;
  byId<HTMLDetailsElement>("signing").open = Boolean(credentials.key || credentials.secret);
  buildStaticControls();
  wireEvents();

  let catalogue: CatalogueDocument;
  try {
    catalogue = await loadCatalogue();
  } catch (error) {
    showGraphNotice(`Could not load the graph catalogue: ${(error as Error).message}`);
    return;
  }
  const graphs = Object.entries(catalogue.graphs).map(([name, graph]) => graphForm(name, graph));
  byId("graph-count").textContent = `${graphs.length} graphs`;
  const query = parsePageQuery(window.location.search);
  const picker = new GraphPicker(
    byId("graph-search"),
    byId("graph-list"),
    byId("graph-empty"),
    graphs,
    (name) => {
      const graph = graphs.find((candidate) => candidate.name === name);
      if (graph) selectGraph(graph);
    },
  );
  if (graphs.length === 0) {
    showGraphNotice("The server has no graphs.");
    return;
  }
  const graph = applyQuery(query, graphs);
  if (query.graph && query.graph !== graph.name) {
    showGraphNotice(`There is no graph named "${query.graph}"; showing ${graph.name}.`);
  }
  picker.select(graph.name);
  selectGraph(graph, query.params);
  document.body.dataset.ready = "true";
}

void start();
