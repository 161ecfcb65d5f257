import { describe, expect, it } from "vitest";
import { parseProcessingRequest } from "./processing-request.ts";
import { testingUiLocation } from "./testing-ui-location.ts";

const locationOf = (url: string) => testingUiLocation(parseProcessingRequest(url));

describe("testingUiLocation", () => {
  it("keeps the parameters as the client encoded them, without debug, key and token", () => {
    expect(
      locationOf(
        "https://img.example.com/graph/k1/0123456789abcdef0123456789abcdef/gradientmap.jpg?input=https%3A%2F%2Fx.org%2Fa.png&debug=1&color1=%23000",
      ),
    ).toBe("/?graph=gradientmap&format=jpg&input=https%3A%2F%2Fx.org%2Fa.png&color1=%23000");
  });

  it("leaves the format empty when the URL has no extension", () => {
    expect(locationOf("https://img.example.com/graphs/canvas?debug=1")).toBe(
      "/?graph=canvas&format=",
    );
  });
});
