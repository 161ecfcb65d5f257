import { describe, expect, it } from "vitest";
import { errorResponse, errors } from "./errors.ts";
import { requestIdFrom } from "./request-id.ts";

describe("requestIdFrom", () => {
  it.each(["abc", "0af7651916cd43dd8448eb211c80319c", "req:1.2_3-4"])("keeps %s", (id) => {
    expect(requestIdFrom(id)).toBe(id);
  });

  it.each([null, undefined, "", "has space", 'quote"', "x".repeat(129), "ünï"])(
    "replaces %j with a fresh UUID",
    (header) => {
      expect(requestIdFrom(header)).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/,
      );
    },
  );
});

describe("errorResponse with a request id", () => {
  it("puts the id in the body and in x-request-id", async () => {
    const response = errorResponse(errors.unknownGraph("nope"), "r-42");
    expect(response.headers.get("x-request-id")).toBe("r-42");
    expect(await response.json()).toEqual({
      error: 'There is no graph named "nope".',
      code: "unknown-graph",
      graph: "nope",
      requestId: "r-42",
    });
  });
});
