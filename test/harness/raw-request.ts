import { type Agent, request as httpRequest, type IncomingHttpHeaders } from "node:http";

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface RawRequest {
  method?: string;
  /** The request target exactly as sent (fetch() would normalise it and fix the Host). */
  target: string;
  headers?: Record<string, string>;
  agent?: Agent;
}

/** Sends one request byte for byte with node:http and reads the whole answer. */
export function sendRaw(base: string, request: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(base, {
      method: request.method ?? "GET",
      path: request.target,
      headers: request.headers,
      agent: request.agent,
      timeout: 90_000,
    });
    outgoing.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      );
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error("timed out")));
    outgoing.on("error", reject);
    outgoing.end();
  });
}
