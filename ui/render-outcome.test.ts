import { describe, expect, it } from "vitest";
import { explainFailure } from "./render-outcome.ts";

describe("explainFailure", () => {
  it("reads the contract's JSON error and says what the status means", () => {
    const failure = explainFailure(
      422,
      JSON.stringify({
        error: 'Parameter "opacity" must be at most 1 (got 3).',
        code: "out-of-range",
      }),
    );
    expect(failure).toEqual({
      headline: "A size or a value is beyond what the server allows.",
      message: 'Parameter "opacity" must be at most 1 (got 3).',
      code: "out-of-range",
    });
  });

  it("shows the text of a non-JSON answer", () => {
    const failure = explainFailure(502, "<html><body><h1>Bad gateway</h1></body></html>");
    expect(failure.headline).toMatch(/origin/);
    expect(failure.message).toBe("Bad gateway");
    expect(failure.code).toBeNull();
  });

  it("has words for statuses it does not know", () => {
    expect(explainFailure(418, "").headline).toBe("The server refused the request.");
    expect(explainFailure(418, "").message).toBe("The server sent no explanation.");
    expect(explainFailure(599, "").headline).toBe("The server failed.");
  });
});
