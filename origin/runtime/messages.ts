/** One FBP protocol message (fbp-protocol 0.7+), either direction. */
export interface ProtocolMessage {
  protocol: string;
  command: string;
  payload: Payload;
  secret?: string;
  requestId?: string;
}

export type Payload = Record<string, unknown>;

/** Sends one message to the client(s): the runtime never includes the secret. */
export type Send = (protocol: string, command: string, payload: Payload) => void;

/** A request the runtime refuses; answered as `<protocol>:error` with this message. */
export class ProtocolError extends Error {
  override name = "ProtocolError";
}

export function requireString(payload: Payload, key: string): string {
  const value = payload[key];
  if (typeof value !== "string" || value === "") {
    throw new ProtocolError(`"${key}" must be a non-empty string`);
  }
  return value;
}

export function optionalObject(payload: Payload, key: string): Payload | undefined {
  const value = payload[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ProtocolError(`"${key}" must be an object`);
  }
  return value as Payload;
}

export interface PortRef {
  node: string;
  port: string;
  index?: number;
}

export function requirePort(payload: Payload, key: string): PortRef {
  const ref = optionalObject(payload, key);
  if (!ref) throw new ProtocolError(`"${key}" must be a {node, port} object`);
  const { node, port, index } = ref;
  if (typeof node !== "string" || typeof port !== "string") {
    throw new ProtocolError(`"${key}" must be a {node, port} object`);
  }
  return typeof index === "number" ? { node, port, index } : { node, port };
}
