import { describe, expect, it } from "vitest";
import { parseBooleanWord } from "./boolean-words.ts";

describe("parseBooleanWord", () => {
  it("reads the yes/no words in any case, and nothing else", () => {
    for (const word of ["true", "1", "YES", " on "]) expect(parseBooleanWord(word)).toBe(true);
    for (const word of ["false", "0", "No", "off"]) expect(parseBooleanWord(word)).toBe(false);
    for (const word of ["", "2", "maybe"]) expect(parseBooleanWord(word)).toBeNull();
  });
});
