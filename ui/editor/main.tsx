import { type FormEvent, StrictMode, useState } from "react";
import { createRoot } from "react-dom/client";
import { EditorApp } from "./editor-app.tsx";
import { type RuntimeAddress, runtimeAddress } from "./runtime-connection.ts";

/** Without an address (npm start prints the page's URL with one), ask for the runtime's. */
function ConnectForm({ onConnect }: { onConnect(address: RuntimeAddress): void }) {
  const [url, setUrl] = useState("ws://127.0.0.1:3569/");
  const [secret, setSecret] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (url && secret) onConnect({ url, secret });
  };
  return (
    <form className="panel connect-form" onSubmit={submit}>
      <h1>Connect to an imgflo runtime</h1>
      <p className="muted">
        <code>npm start</code> prints this page's address with the runtime and its secret.
        Elsewhere, the origin runs one when <code>RUNTIME_PORT</code> and{" "}
        <code>RUNTIME_SECRET</code> are set.
      </p>
      <label className="label" htmlFor="runtime-url">
        Runtime WebSocket URL
      </label>
      <input id="runtime-url" value={url} onChange={(event) => setUrl(event.target.value)} />
      <label className="label" htmlFor="runtime-secret">
        Secret
      </label>
      <input
        id="runtime-secret"
        type="password"
        value={secret}
        onChange={(event) => setSecret(event.target.value)}
      />
      <button type="submit">Connect</button>
    </form>
  );
}

function Page() {
  const [address, setAddress] = useState(() => runtimeAddress(location.hash));
  return address ? <EditorApp address={address} /> : <ConnectForm onConnect={setAddress} />;
}

const root = document.getElementById("editor-root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <Page />
    </StrictMode>,
  );
}
