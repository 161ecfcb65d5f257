import { type FormEvent, useState } from "react";

/** The admin token when none is known: npm start's address carries it, else it is typed here. */
export function AdminTokenForm({ onToken }: { onToken(token: string): void }) {
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
