import { type FormEvent, useState } from "react";
import type { FbpGraph } from "../../shared/graph-definition.ts";
import { GRAPH_NAME } from "../../shared/processing-request.ts";
import { AdminApiError, publishGraph, rollBackGraph } from "./admin-api.ts";

/** The last answer, shown while `graph` is the open graph. */
export interface Outcome {
  graph: string;
  tone: "ok" | "error" | "pending";
  text: string;
  url?: string;
  refusedToken?: boolean;
}

/** The publish form's fields, kept while `graph` is the open graph. */
export interface PublishDraft {
  graph: string;
  target: string;
  note: string;
}

export interface PublishingOptions {
  token: string | null;
  /** The open graph. */
  name: string;
  document(name: string): FbpGraph;
  processingUrl(name: string): string;
  onPublished(name: string, definition: FbpGraph): void;
  /** After a publish or a rollback: the history of that graph is loaded again. */
  reloadHistory(graph: string): void;
}

const failure = (graph: string, error: unknown): Outcome => ({
  graph,
  tone: "error",
  text: error instanceof Error ? error.message : String(error),
  refusedToken: error instanceof AdminApiError && error.refusedToken,
});

const emptyDraft = (graph: string): PublishDraft => ({ graph, target: "", note: "" });

/** Publishing the open graph (under its name or another) and rolling it back, one at a time. */
export function usePublishing(options: PublishingOptions) {
  const { token, name, document, processingUrl, onPublished, reloadHistory } = options;
  const [draft, setDraft] = useState(() => emptyDraft(name));
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  // Another graph opened: its own name and an empty note.
  const fields = draft.graph === name ? draft : emptyDraft(name);

  const publish = async (event: FormEvent) => {
    event.preventDefault();
    const target = fields.target.trim() || name;
    if (!token || busy) return;
    if (!GRAPH_NAME.test(target)) {
      setOutcome({
        graph: name,
        tone: "error",
        text: "A graph name is 1 to 64 letters, digits, - and _.",
      });
      return;
    }
    setBusy(true);
    setOutcome({ graph: name, tone: "pending", text: `Publishing ${target}…` });
    try {
      const definition = document(target);
      const published = await publishGraph(token, target, definition, fields.note);
      setOutcome({
        graph: target,
        tone: "ok",
        text: published.created
          ? `Published ${target} version ${published.version}`
          : `Published ${target}: unchanged, still version ${published.version}`,
        url: processingUrl(target),
      });
      setDraft(emptyDraft(target));
      onPublished(target, definition);
      reloadHistory(target);
    } catch (error) {
      setOutcome(failure(name, error));
    } finally {
      setBusy(false);
    }
  };

  const rollBack = async (version: number) => {
    if (!token || busy) return;
    setBusy(true);
    try {
      const current = await rollBackGraph(token, name, version);
      setOutcome({
        graph: name,
        tone: "ok",
        text: `Rolled ${name} back to version ${current.version}`,
        url: processingUrl(name),
      });
    } catch (error) {
      setOutcome(failure(name, error));
    } finally {
      setBusy(false);
      reloadHistory(name);
    }
  };

  return {
    fields,
    setFields: setDraft,
    outcome: outcome?.graph === name ? outcome : null,
    clearOutcome: () => setOutcome(null),
    busy,
    publish,
    rollBack,
  };
}
