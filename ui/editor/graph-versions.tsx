import { useCallback, useEffect, useRef, useState } from "react";
import { type GraphHistoryDocument, graphVersions } from "./admin-api.ts";

/** A graph's published versions as the edge last answered, or why it could not. */
export type GraphHistory =
  | { graph: string; document: GraphHistoryDocument | null }
  | { graph: string; error: string };

type VersionEntry = GraphHistoryDocument["versions"][number];

const HASH_SHOWN = 8;

const createdText = (created: string | null) =>
  created === null ? "built-in file" : new Date(created).toLocaleString();

/**
 * The open graph's history, loaded with the token whenever the graph or the token changes;
 * `reload` loads a graph's again. Only the last load asked for is kept.
 */
export function useGraphHistory(token: string | null, name: string) {
  const [history, setHistory] = useState<GraphHistory | null>(null);
  const latestLoad = useRef(0);

  const reload = useCallback(
    async (graph: string) => {
      if (!token) return;
      const load = ++latestLoad.current;
      const next: GraphHistory = await graphVersions(token, graph).then(
        (document) => ({ graph, document }),
        (error: Error) => ({ graph, error: error.message }),
      );
      if (load === latestLoad.current) setHistory(next);
    },
    [token],
  );

  useEffect(() => {
    void reload(name);
  }, [reload, name]);

  return { history: history?.graph === name ? history : null, reload };
}

interface GraphVersionsProps {
  name: string;
  history: GraphHistory;
  busy: boolean;
  onRollBack(version: number): void;
}

/** The versions of the open graph, newest first; any but the current one can be rolled back to. */
export function GraphVersions({ name, history, busy, onRollBack }: GraphVersionsProps) {
  return (
    <>
      <h3>Versions of {name}</h3>
      {"error" in history ? (
        <p className="muted small">{history.error}</p>
      ) : history.document === null ? (
        <p className="muted small">Not published yet.</p>
      ) : (
        <ol id="graph-history" className="history">
          {[...history.document.versions].reverse().map((entry) => (
            <VersionItem
              key={entry.version}
              entry={entry}
              current={entry.version === history.document?.current}
              busy={busy}
              onRollBack={onRollBack}
            />
          ))}
        </ol>
      )}
    </>
  );
}

function VersionItem({
  entry,
  current,
  busy,
  onRollBack,
}: {
  entry: VersionEntry;
  current: boolean;
  busy: boolean;
  onRollBack(version: number): void;
}) {
  return (
    <li data-version={entry.version} data-current={current}>
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
            onClick={() => onRollBack(entry.version)}
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
}
