import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  AdminApiError,
  adminToken,
  forgetAdminToken,
  graphVersions,
  publishGraph,
  rollBackGraph,
} from "./admin-api.ts";

const stored = new Map<string, string>();

beforeEach(() => {
  stored.clear();
  vi.stubGlobal("localStorage", {
    getItem: (key: string) => stored.get(key) ?? null,
    setItem: (key: string, value: string) => stored.set(key, value),
    removeItem: (key: string) => stored.delete(key),
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
});

/** Answers every request with `status` and `body`, recording what was asked. */
function answer(status: number, body: unknown) {
  const requests: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    const text = typeof body === "string" ? body : JSON.stringify(body);
    return new Response(text, { status });
  });
  return requests;
}

describe("the admin token", () => {
  it("comes from the page's fragment, is remembered, and forgotten on demand", () => {
    expect(adminToken("")).toBeNull();
    expect(adminToken("#runtime=ws%3A%2F%2F127.0.0.1%3A3569%2F&secret=s&token=t%2B1")).toBe("t+1");
    expect(adminToken("#runtime=ws%3A%2F%2F127.0.0.1%3A3569%2F&secret=s")).toBe("t+1");
    forgetAdminToken();
    expect(adminToken("")).toBeNull();
  });
});

describe("the admin API calls", () => {
  const graph = { processes: {}, connections: [] };

  it("publishes FBP JSON to the page's own edge with the token and the note", async () => {
    const requests = answer(201, { name: "red", version: 3, hash: "ab" });
    expect(await publishGraph("t", "red", graph, "warmer & redder")).toEqual({
      name: "red",
      version: 3,
      hash: "ab",
      created: true,
    });
    const [request] = requests;
    expect(request?.url).toBe("/admin/graphs/red?note=warmer+%26+redder");
    expect(request?.init).toMatchObject({
      method: "PUT",
      headers: { authorization: "Bearer t", "content-type": "application/json" },
      body: JSON.stringify(graph),
    });
  });

  it("tells an unchanged graph (200) from a new version (201)", async () => {
    answer(200, { name: "red", version: 3, hash: "ab" });
    expect(await publishGraph("t", "red", graph, "")).toMatchObject({ created: false });
  });

  it("throws the error's sentence, and knows a refused token", async () => {
    answer(403, { error: "The admin token is wrong.", code: "admin-token-refused" });
    const refused = await publishGraph("t", "red", graph, "").catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AdminApiError);
    expect(refused).toMatchObject({ message: "The admin token is wrong.", refusedToken: true });

    answer(400, { error: 'Node "map" has no port "colour1".', code: "invalid-graph" });
    await expect(publishGraph("t", "red", graph, "")).rejects.toMatchObject({
      message: 'Node "map" has no port "colour1".',
      refusedToken: false,
    });

    answer(404, "<html>not an edge</html>");
    await expect(rollBackGraph("t", "red", 1)).rejects.toThrow(
      "The edge answered 404 to POST /admin/graphs/red/rollback.",
    );
  });

  it("lists versions, and none for a graph never published nor built in", async () => {
    const history = { name: "red", current: 1, versions: [] };
    answer(200, history);
    expect(await graphVersions("t", "red")).toEqual(history);
    answer(404, { error: 'There is no graph named "red".', code: "unknown-graph" });
    expect(await graphVersions("t", "red")).toBeNull();
  });

  it("rolls back with the version in a JSON body", async () => {
    const requests = answer(200, { name: "red", version: 1, hash: "cd" });
    expect(await rollBackGraph("t", "red", 1)).toEqual({ name: "red", version: 1, hash: "cd" });
    expect(requests[0]?.init).toMatchObject({ method: "POST", body: '{"version":1}' });
  });
});
