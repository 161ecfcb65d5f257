import { once } from "node:events";
import WebSocket from "ws";

export interface ReceivedMessage {
  protocol: string;
  command: string;
  payload: Record<string, unknown> & { [key: string]: unknown };
}

/** A minimal FBP protocol client over WebSocket, recording everything the runtime sends. */
export interface FbpClient {
  received: ReceivedMessage[];
  send(protocol: string, command: string, payload?: object, secret?: string | null): void;
  /** Resolves with the first message (after those already seen) matching protocol:command. */
  next(
    protocol: string,
    command: string,
    where?: (message: ReceivedMessage) => boolean,
  ): Promise<ReceivedMessage>;
  close(): Promise<void>;
  /** Settles when the runtime (or the client) has closed the connection. */
  closed: Promise<void>;
}

const WAIT_MS = 20_000;

export async function connectFbp(url: string, secret: string | null): Promise<FbpClient> {
  const socket = new WebSocket(url);
  const received: ReceivedMessage[] = [];
  let seen = 0;
  const waiters = new Set<() => void>();
  socket.on("message", (data) => {
    received.push(JSON.parse(data.toString()) as ReceivedMessage);
    for (const waiter of waiters) waiter();
  });
  // A runtime closing the connection (e.g. on an oversized message) may also report an error.
  socket.on("error", () => {});
  await once(socket, "open");
  const closed = once(socket, "close").then(() => {});
  return {
    received,
    send(protocol, command, payload = {}, override) {
      const token = override === undefined ? secret : override;
      socket.send(
        JSON.stringify({ protocol, command, payload, ...(token ? { secret: token } : {}) }),
      );
    },
    next(protocol, command, where = () => true) {
      return new Promise((resolve, reject) => {
        const check = () => {
          for (let i = seen; i < received.length; i++) {
            const message = received[i] as ReceivedMessage;
            if (message.protocol === protocol && message.command === command && where(message)) {
              seen = i + 1;
              waiters.delete(check);
              clearTimeout(timer);
              resolve(message);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no ${protocol}:${command} within ${WAIT_MS} ms`));
        }, WAIT_MS);
        waiters.add(check);
        check();
      });
    },
    closed,
    async close() {
      socket.close();
      await closed;
    },
  };
}
