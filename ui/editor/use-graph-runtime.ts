import { type Dispatch, useCallback, useEffect, useRef } from "react";
import type { FbpGraph } from "../../shared/graph-definition.ts";
import type { EditorAction } from "./editor-state.ts";
import {
  type RuntimeAddress,
  RuntimeConnection,
  type RuntimeMessage,
  rememberAddress,
} from "./runtime-connection.ts";

// Slider drags send at most one change per interval, and always the last one.
const CHANGE_INTERVAL_MS = 80;

export type SendGraph = (command: string, payload: Record<string, unknown>) => void;

/** Sends a property's changes at most once an interval, and always its last value. */
export function useThrottledChanges(sendGraph: SendGraph) {
  const throttles = useRef(new Map<string, { timer: number | null; value: unknown }>());
  return (node: string, port: string, value: unknown) => {
    const key = `${node}.${port}`;
    const entry = throttles.current.get(key) ?? { timer: null, value };
    entry.value = value;
    throttles.current.set(key, entry);
    if (entry.timer !== null) return;
    sendGraph("addinitial", { src: { data: value }, tgt: { node, port } });
    entry.timer = window.setTimeout(() => {
      entry.timer = null;
      throttles.current.delete(key);
      if (entry.value !== value)
        sendGraph("addinitial", { src: { data: entry.value }, tgt: { node, port } });
    }, CHANGE_INTERVAL_MS);
  };
}

/** The runtime connection: its messages go to `onMessage`, a lost or refused one to `onFailure`. */
function useRuntime(
  address: RuntimeAddress,
  onMessage: (message: RuntimeMessage) => void,
  onFailure: (why: string) => void,
) {
  const connection = useRef<RuntimeConnection | null>(null);
  useEffect(() => {
    const runtime = new RuntimeConnection(address, onMessage, onFailure);
    connection.current = runtime;
    runtime.opened.then(
      () => {
        rememberAddress(address);
        runtime.send("component", "list");
      },
      (error: Error) => onFailure(error.message),
    );
    return () => runtime.close();
  }, [address, onMessage, onFailure]);
  return useCallback(
    (protocol: string, command: string, payload: Record<string, unknown> = {}) =>
      connection.current?.send(protocol, command, payload),
    [],
  );
}

/**
 * The runtime as the editor speaks to it: its messages and failures go to the reducer, a graph's
 * source to whoever asked for it, and `sendGraph` edits the graph `setGraphId` names.
 */
export function useGraphRuntime(address: RuntimeAddress, dispatch: Dispatch<EditorAction>) {
  const graphId = useRef<string | null>(null);
  const pendingSource = useRef<(source: FbpGraph) => void>(() => {});

  const onMessage = useCallback(
    (message: RuntimeMessage) => {
      if (message.protocol === "component" && message.command === "source") {
        const { code } = (message.payload ?? {}) as { code?: unknown };
        pendingSource.current(JSON.parse(String(code)) as FbpGraph);
        return;
      }
      dispatch({ type: "message", message });
    },
    [dispatch],
  );
  const onFailure = useCallback((why: string) => dispatch({ type: "failed", why }), [dispatch]);
  const send = useRuntime(address, onMessage, onFailure);
  const sendGraph = useCallback<SendGraph>(
    (command, payload) => send("graph", command, { ...payload, graph: graphId.current }),
    [send],
  );

  return {
    send,
    sendGraph,
    /** From now on `sendGraph` edits the graph of this id. */
    setGraphId(id: string) {
      graphId.current = id;
    },
    /** Asks for a catalogue graph's FBP JSON; `then` gets it. */
    requestCatalogueSource(name: string, then: (source: FbpGraph) => void) {
      pendingSource.current = then;
      send("component", "getsource", { name: `graphs/${name}` });
    },
  };
}
