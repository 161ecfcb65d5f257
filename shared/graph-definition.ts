/** The FBP JSON graph format as Flowhub exports it (the parts the server reads). */
export interface FbpPortRef {
  process: string;
  port: string;
}

export interface FbpExportedPort extends FbpPortRef {
  metadata?: Record<string, unknown>;
}

export interface FbpEdge {
  src: FbpPortRef;
  tgt: FbpPortRef;
  metadata?: Record<string, unknown>;
}

export interface FbpInitial {
  data: unknown;
  tgt: FbpPortRef;
  metadata?: Record<string, unknown>;
}

export type FbpConnection = FbpEdge | FbpInitial;

export interface FbpGraph {
  caseSensitive?: boolean;
  properties?: {
    name?: string;
    description?: string;
    environment?: { type?: string };
    imgflo?: { output?: string; resize?: string };
    [key: string]: unknown;
  };
  inports?: Record<string, FbpExportedPort>;
  outports?: Record<string, FbpExportedPort>;
  processes?: Record<string, { component: string; metadata?: Record<string, unknown> }>;
  connections?: FbpConnection[];
  groups?: unknown[];
}

export function isInitial(connection: FbpConnection): connection is FbpInitial {
  return "data" in connection && !("src" in connection);
}

/** A graph file as read from `graphs/`: its name (the file's base name) and text. */
export interface GraphSource {
  name: string;
  kind: "json" | "fbp";
  text: string;
}

/** A graph file after parsing, or a published version: what the catalogue is built from. */
export interface NamedGraph {
  name: string;
  definition: FbpGraph;
  /** The published version; absent or 0 for a built-in file of `graphs/`. */
  version?: number;
}
