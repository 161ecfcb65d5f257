import { describe, expect, it } from "vitest";
import type { ComponentInfo } from "./components.ts";
import {
  type EditorAction,
  type EditorState,
  editorReducer,
  initialEditorState,
} from "./editor-state.ts";

const RUNTIME = "ws://127.0.0.1:3569/";

const run = (...actions: EditorAction[]): EditorState =>
  actions.reduce(editorReducer, initialEditorState(RUNTIME));

const message = (protocol: string, command: string, payload: unknown): EditorAction => ({
  type: "message",
  message: { protocol, command, payload },
});

const opened = (name: string): EditorAction => ({
  type: "opened",
  name,
  description: `${name} graph`,
  positions: { a: { x: 1, y: 2 } },
});

describe("editorReducer", () => {
  it("connects: components arrive, then the status says ready", () => {
    const info = { name: "gegl/crop", inPorts: [], outPorts: [] } as unknown as ComponentInfo;
    const state = run(
      message("component", "component", info),
      message("component", "componentsready", {}),
    );
    expect(state.components.get("gegl/crop")).toBe(info);
    expect(state.status).toEqual({ state: "ready", text: `Connected to ${RUNTIME}` });
    expect(run(message("graph", "error", { message: "no" })).status).toEqual({
      state: "error",
      text: "graph: no",
    });
    expect(run({ type: "failed", why: "closed" }).status).toEqual({
      state: "error",
      text: "closed",
    });
  });

  it("follows the opened graph's messages only, and shows it once its network started", () => {
    const state = run(
      opened("blur"),
      message("graph", "clear", { id: "blur" }),
      message("graph", "addnode", {
        graph: "blur",
        id: "b",
        component: "gegl/blur",
        metadata: { x: 5, y: 6 },
      }),
      message("graph", "addnode", {
        graph: "other",
        id: "o",
        component: "gegl/blur",
        metadata: {},
      }),
      message("graph", "addnode", {
        graph: "blur",
        id: "a",
        component: "gegl/crop",
        metadata: { x: 9, y: 9 },
      }),
    );
    expect(Object.keys(state.graph?.nodes ?? {})).toEqual(["b", "a"]);
    // The editor placed `a` first; the runtime's echo keeps that place.
    expect(state.positions).toEqual({ a: { x: 1, y: 2 }, b: { x: 5, y: 6 } });
    expect(state.loaded).toBe(false);
    expect(editorReducer(state, message("network", "started", { graph: "other" })).loaded).toBe(
      false,
    );
    expect(editorReducer(state, message("network", "started", { graph: "blur" })).loaded).toBe(
      true,
    );
    expect(state.description).toBe("blur graph");
  });

  it("opening another graph forgets the selection, the preview and the loaded network", () => {
    const preview = message("network", "output", {
      type: "previewurl",
      url: "http://127.0.0.1:3569/preview?graph=blur",
    });
    const before = run(opened("blur"), message("network", "started", { graph: "blur" }), preview, {
      type: "selected",
      selection: { node: "a", edge: null },
    });
    expect(before.preview).toEqual({
      url: "http://127.0.0.1:3569/preview?graph=blur",
      state: "loading",
    });
    const after = editorReducer(before, opened("copy"));
    expect(after).toMatchObject({ graphId: "copy", loaded: false, preview: null });
    expect(after.selection).toEqual({ node: null, edge: null });
  });

  it("keeps a preview's outcome only for the preview still shown", () => {
    const url = "http://127.0.0.1:3569/preview?graph=blur";
    const shown = run(
      opened("blur"),
      message("network", "output", { type: "previewurl", url: `${url}&n=1` }),
      message("network", "output", { type: "previewurl", url }),
    );
    expect(editorReducer(shown, { type: "preview-loaded", url: `${url}&n=1` })).toBe(shown);
    expect(editorReducer(shown, { type: "preview-loaded", url }).preview?.state).toBe("ready");
    expect(editorReducer(shown, { type: "preview-failed", url, error: "bad" }).preview).toEqual({
      url,
      state: "error",
      error: "bad",
    });
  });

  it("changes a property, the input image and a node's place at once", () => {
    const state = run(
      opened("blur"),
      message("graph", "clear", { id: "blur" }),
      { type: "property-changed", node: "b", port: "std-dev-x", value: 3 },
      { type: "input-chosen", path: "files/cat.jpg" },
      { type: "placed", node: "b", position: { x: 7, y: 8 } },
    );
    expect(state.graph?.initials).toEqual([{ data: 3, tgt: { node: "b", port: "std-dev-x" } }]);
    expect(state.input).toBe("files/cat.jpg");
    expect(state.positions.b).toEqual({ x: 7, y: 8 });
  });
});
