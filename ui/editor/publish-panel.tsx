import { type FormEvent, useState } from "react";
import type { FbpGraph } from "../../shared/graph-definition.ts";
import { adminToken, forgetAdminToken, rememberAdminToken } from "./admin-api.ts";
import { AdminTokenForm } from "./admin-token-form.tsx";
import { GraphVersions, useGraphHistory } from "./graph-versions.tsx";
import { type Outcome, type PublishDraft, usePublishing } from "./use-publishing.ts";

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

/** Publish to the edge this page came from, the open graph's versions, and rolling back. */
export function PublishPanel({ name, document, processingUrl, onPublished }: PublishPanelProps) {
  const [token, setToken] = useState(() => adminToken(location.hash));
  const { history, reload } = useGraphHistory(token, name);
  const publishing = usePublishing({
    token,
    name,
    document,
    processingUrl,
    onPublished,
    reloadHistory: (graph) => void reload(graph),
  });

  const chooseToken = (given: string | null) => {
    if (given) rememberAdminToken(given);
    else forgetAdminToken();
    setToken(given);
    publishing.clearOutcome();
  };

  return (
    <section className="editor-section publish" aria-label="Publish">
      <h2>Publish</h2>
      {!token && <AdminTokenForm onToken={chooseToken} />}
      <PublishForm
        name={name}
        fields={publishing.fields}
        onFields={publishing.setFields}
        hasToken={Boolean(token)}
        busy={publishing.busy}
        onSubmit={publishing.publish}
      />
      {publishing.outcome && (
        <PublishResult outcome={publishing.outcome} onOtherToken={() => chooseToken(null)} />
      )}
      {token && history && (
        <GraphVersions
          name={name}
          history={history}
          busy={publishing.busy}
          onRollBack={publishing.rollBack}
        />
      )}
    </section>
  );
}

interface PublishFormProps {
  name: string;
  fields: PublishDraft;
  onFields(fields: PublishDraft): void;
  hasToken: boolean;
  busy: boolean;
  onSubmit(event: FormEvent): void;
}

/** The name to publish under (the open graph's by default) and a note. */
function PublishForm({ name, fields, onFields, hasToken, busy, onSubmit }: PublishFormProps) {
  return (
    <form
      className="publish-form"
      onSubmit={onSubmit}
      title={hasToken ? "Publish to this edge" : "Needs the admin token"}
    >
      <input
        id="publish-name"
        type="text"
        aria-label="Name to publish under"
        pattern="[A-Za-z0-9_\-]{1,64}"
        placeholder={name}
        value={fields.target}
        onChange={(event) => onFields({ ...fields, target: event.target.value })}
      />
      <input
        id="publish-note"
        type="text"
        aria-label="Note"
        placeholder="Note (what changed)"
        maxLength={1000}
        value={fields.note}
        onChange={(event) => onFields({ ...fields, note: event.target.value })}
      />
      <button type="submit" id="publish-graph" className="primary" disabled={!hasToken || busy}>
        Publish
      </button>
    </form>
  );
}

/** The last publish or rollback: its sentence, the processing URL, a way out of a refused token. */
function PublishResult({ outcome, onOtherToken }: { outcome: Outcome; onOtherToken(): void }) {
  return (
    <div id="publish-result" className="publish-result" data-tone={outcome.tone}>
      <p>{outcome.text}</p>
      {outcome.url && (
        <a
          id="published-url"
          className="processing-url"
          href={outcome.url}
          target="_blank"
          rel="noreferrer"
        >
          {outcome.url}
        </a>
      )}
      {outcome.refusedToken && (
        <button type="button" className="link-button" onClick={onOtherToken}>
          Use another token
        </button>
      )}
    </div>
  );
}
