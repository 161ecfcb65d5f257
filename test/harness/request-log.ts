import { vi } from "vitest";
import type { OriginProcess } from "./origin.ts";

/** The JSON request lines an origin logged for a request id, once there are some (stderr lags). */
export function logLinesOf(
  origin: OriginProcess,
  requestId: string,
): Promise<Record<string, unknown>[]> {
  return vi.waitFor(() => {
    const lines = origin
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.requestId === requestId);
    if (lines.length === 0) throw new Error(`no log line for ${requestId} yet`);
    return lines;
  });
}
