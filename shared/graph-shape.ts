import { CatalogueError } from "./catalogue.ts";
import type { FbpGraph } from "./graph-definition.ts";

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isPortRef = (value: unknown): boolean =>
  isObject(value) && typeof value.process === "string" && typeof value.port === "string";

const isExportedPort = (value: unknown): boolean => {
  if (!isPortRef(value)) return false;
  const { metadata } = value as { metadata?: unknown };
  return metadata === undefined || isObject(metadata);
};

/**
 * The FBP JSON shape the server reads (graph-definition.ts), checked before anything reads it:
 * a graph may come from anyone who can publish, and a wrong shape is their 400, not a crash.
 */
export function checkGraphShape(name: string, value: unknown): FbpGraph {
  const fail = (why: string) => new CatalogueError(name, why);
  if (!isObject(value)) throw fail("is not an FBP graph (a JSON object)");
  const { processes = {}, connections = [], inports = {}, outports = {}, properties = {} } = value;
  if (!isObject(processes)) throw fail('has "processes" that is not an object');
  for (const [id, process] of Object.entries(processes)) {
    if (!isObject(process) || typeof process.component !== "string") {
      throw fail(`has process "${id}" without a component name`);
    }
  }
  if (!Array.isArray(connections)) throw fail('has "connections" that is not a list');
  connections.forEach((connection: unknown, i) => {
    const edge = isObject(connection) && isPortRef(connection.tgt);
    const wired = edge && ("src" in connection ? isPortRef(connection.src) : "data" in connection);
    if (!wired)
      throw fail(`has connection ${i + 1}, which is neither an edge nor an initial value`);
  });
  for (const [side, ports] of [
    ["inports", inports],
    ["outports", outports],
  ] as const) {
    if (!isObject(ports) || !Object.values(ports).every(isExportedPort)) {
      throw fail(`has "${side}" that are not ports of processes`);
    }
  }
  if (!isObject(properties)) throw fail('has "properties" that is not an object');
  return value as FbpGraph;
}
