import { type FormEvent, useCallback, useEffect, useRef, useState } from "react";
import type { FbpGraph } from "../../shared/graph-definition.ts";
import { GRAPH_NAME } from "../../shared/processing-request.ts";
import {
  AdminApiError,
  adminToken,
  forgetAdminToken,
  type GraphHistoryDocument,
  graphVersions,
  publishGraph,
  rememberAdminToken,
  rollBackGraph,
} from "./admin-api.ts";

export interface PublishPanelProps {
  /** The open graph: the default name to publish under, and whose history is listed. */
  name: string;
  /** What Export JSON downloads, named `name`. */
  document(name: string): FbpGraph;
  /** The processing URL of a graph of that name with the editor's current values. */
  processingUrl(name: string): string;
  /** After a publish of `definition` under `name`: the editor goes on with that graph. */
  onPublished(name: string, definition: FbpGraph): void;
}

/** The last answer, shown while `graph` is the open graph. */
interface Outcome {
  graph: string;
  tone: "ok" | "error" | "pending";
  text: string;
  url?: string;
  refusedToken?: boolean;
}

type History =
  | { graph: string; document: GraphHistoryDocument | null }
  | { graph: string; error: string };

const HASH_SHOWN = 8;

const failure = (graph: string, error: unknown): Outcome => ({
  graph,
  tone: "error",
  text: error instanceof Error ? error.message : String(error),
  refusedToken: error instanceof AdminApiError && error.refusedToken,
});

const createdText = (created: string | null) =>
  created === null ? "built-in file" : new Date(created).toLocaleString();

/** The admin token when none is known: npm start's address carries it, else it is typed here. */
function TokenForm({ onToken }: { onToken(token: string): void }) {
  const [text, setText] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim()) onToken(text.trim());
  };
  return (
    <form className="publish-token" onSubmit={submit}>
      <p id="publish-disabled" className="muted small">
        Publishing needs this edge's admin token (<code>ADMIN_TOKEN</code>); the editor address{" "}
        <code>npm start</code> prints carries it.
      </p>
      <div className="button-row">
        <input
          id="admin-token"
          type="password"
          aria-label="Admin token"
          placeholder="Admin token"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit" id="use-token">
          Use
        </button>
      </div>
    </form>
  );
}

/** Publish to the edge this page came from, the open graph's versions, and rolling back. */
export function PublishPanel({ name, document, processingUrl, onPublished }: PublishPanelProps) {
  const [token, setToken] = useState(() => adminToken(location.hash));
  const [draft, setDraft] = useState({ graph: name, target: "", note: "" });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [history, setHistory] = useState<History | null>(null);
  const [busy, setBusy] = useState(false);
  const latestLoad = useRef(0);
  // Another graph opened: its own name and an empty note.
  const fields = draft.graph === name ? draft : { graph: name, target: "", note: "" };

  const loadHistory = useCallback(
    async (graph: string) => {
      if (!token) return;
      const load = ++latestLoad.current;
      const next: History = await graphVersions(token, graph).then(
        (document) => ({ graph, document }),
        (error: Error) => ({ graph, error: error.message }),
      );
      if (load === latestLoad.current) setHistory(next);
    },
    [token],
  );

  useEffect(() => {
    void loadHistory(name);
  }, [loadHistory, name]);

  const chooseToken = (given: string | null) => {
    if (given) rememberAdminToken(given);
    else forgetAdminToken();
    setToken(given);
    setOutcome(null);
  };

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
      setDraft({ graph: target, target: "", note: "" });
      onPublished(target, definition);
      void loadHistory(target);
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
      void loadHistory(name);
    }
  };

  const shown = outcome?.graph === name ? outcome : null;
  const versions = history?.graph === name ? history : null;
  return (
    <section className="editor-section publish" aria-label="Publish">
      <h2>Publish</h2>
      {!token && <TokenForm onToken={chooseToken} />}
      <form
        className="publish-form"
        onSubmit={publish}
        title={token ? "Publish to this edge" : "Needs the admin token"}
      >
        <input
          id="publish-name"
          type="text"
          aria-label="Name to publish under"
          pattern="[A-Za-z0-9_\-]{1,64}"
          placeholder={name}
          value={fields.target}
          onChange={(event) => setDraft({ ...fields, target: event.target.value })}
        />
        <input
          id="publish-note"
          type="text"
          aria-label="Note"
          placeholder="Note (what changed)"
          maxLength={1000}
          value={fields.note}
          onChange={(event) => setDraft({ ...fields, note: event.target.value })}
        />
        <button type="submit" id="publish-graph" className="primary" disabled={!token || busy}>
          Publish
        </button>
      </form>
      {shown && (
        <div id="publish-result" className="publish-result" data-tone={shown.tone}>
          <p>{shown.text}</p>
          {shown.url && (
            <a
              id="published-url"
              className="processing-url"
              href={shown.url}
              target="_blank"
              rel="noreferrer"
            >
              {shown.url}
            </a>
          )}
          {shown.refusedToken && (
            <button type="button" className="link-button" onClick={() => chooseToken(null)}>
              Use another token
            </button>
          )}
        </div>
      )}
      {token && versions && (
        <>
          <h3>Versions of {name}</h3>
          {"error" in versions ? (
            <p className="muted small">{versions.error}</p>
          ) : versions.document === null ? (
            <p className="muted small">Not published yet.</p>
          ) : (
            <ol id="graph-history" className="history">
              {[...versions.document.versions].reverse().map((entry) => {
                const current = entry.version === versions.document?.current;
                return (
                  <li key={entry.version} data-version={entry.version} data-current={current}>
                    <div className="history-head">
                      <strong>version {entry.version}</strong>
                      <code title={entry.hash}>{entry.hash.slice(0, HASH_SHOWN)}</code>
                      {current ? (
                        <span className="history-current">current</span>
                      ) : (
                        <button
                          type="button"
                          className="small-button"
                          disabled={busy}
                          onClick={() => rollBack(entry.version)}
                        >
                          Roll back
                        </button>
                      )}
                    </div>
                    <div className="muted small">
                      {createdText(entry.created)}
                      {entry.note && ` · ${entry.note}`}
                    </div>
                  </li>
                );
              })}
            </ol>
          )}
        </>
      )}
    </section>
  );
}
