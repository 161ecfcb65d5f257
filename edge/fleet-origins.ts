import type { Fleet, Origin } from "./origin-types.ts";

/** `render-0` … `render-<n-1>`: fixed names, so the same cache key always meets the same instance. */
export function fleetInstanceNames(fleet: Fleet): string[] {
  return Array.from({ length: fleet.instances }, (_, i) => `render-${i}`);
}

/**
 * What @cloudflare/containers answers by itself when an instance cannot serve (none free, start
 * failed, connection lost): 429, 500 or 503 in plain text, where the origin always answers JSON.
 */
function isPlatformFailure(response: Response): boolean {
  const type = response.headers.get("content-type") ?? "";
  return [429, 500, 503].includes(response.status) && !type.includes("json");
}

/** One named instance of the fleet as an origin; an instance that cannot serve counts as unreachable. */
export function fleetOrigin(fleet: Fleet, name: string): Origin {
  return {
    name,
    async fetch(path, init) {
      const response = await fleet.namespace.getByName(name).fetch(`http://${name}${path}`, init);
      if (!isPlatformFailure(response)) return response;
      const reason = await response.text();
      throw new Error(`instance ${name} cannot serve: ${reason.slice(0, 200)}`);
    },
  };
}
