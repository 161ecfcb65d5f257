/** Where the runtime is and its secret: from the page's `#runtime=…&secret=…`, else as last used. */
export interface RuntimeAddress {
  url: string;
  secret: string;
}

export interface RuntimeMessage {
  protocol: string;
  command: string;
  payload: unknown;
}

const STORAGE_KEY = "imgflo-editor-runtime";

export function runtimeAddress(hash: string): RuntimeAddress | null {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const url = params.get("runtime");
  const secret = params.get("secret");
  if (url && secret) {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ url, secret }));
    return { url, secret };
  }
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as RuntimeAddress | null;
    return stored?.url && stored.secret ? stored : null;
  } catch {
    return null;
  }
}

export function rememberAddress(address: RuntimeAddress): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify(address));
}

/** One WebSocket to an FBP runtime: every message carries the secret, every answer is handed on. */
export class RuntimeConnection {
  private readonly socket: WebSocket;
  readonly opened: Promise<void>;

  constructor(
    private readonly address: RuntimeAddress,
    onMessage: (message: RuntimeMessage) => void,
    onClose: (why: string) => void,
  ) {
    this.socket = new WebSocket(address.url);
    this.opened = new Promise((resolve, reject) => {
      this.socket.addEventListener("open", () => resolve());
      this.socket.addEventListener("error", () => reject(new Error(`Cannot reach ${address.url}`)));
    });
    this.socket.addEventListener("message", (event) => {
      onMessage(JSON.parse(String(event.data)) as RuntimeMessage);
    });
    this.socket.addEventListener("close", () =>
      onClose(`The runtime at ${address.url} closed the connection.`),
    );
  }

  send(protocol: string, command: string, payload: Record<string, unknown> = {}): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ protocol, command, payload, secret: this.address.secret }));
  }

  close(): void {
    this.socket.close();
  }
}
