import { describe, expect, it } from "vitest";
import { readSettings, SettingError } from "./read-settings.ts";
import type { SettingTable } from "./setting-types.ts";

const TABLE = {
  count: { name: "COUNT", type: "integer", default: 2, min: 1, max: 9, description: "" },
  limit: { name: "LIMIT", type: "integer", default: null, min: 0, description: "" },
  ttl: { name: "TTL_S", type: "seconds", default: 60, description: "" },
  on: { name: "ON", type: "boolean", default: false, description: "" },
  mode: { name: "MODE", type: "choice", choices: ["a", "b"], default: "a", description: "" },
  host: { name: "HOST", type: "text", default: "127.0.0.1", description: "" },
  secret: { name: "SECRET", type: "text", secret: true, default: null, description: "" },
  base: { name: "BASE", type: "url", default: "required", description: "" },
  origins: { name: "ORIGINS", type: "url-list", description: "" },
  db: { name: "DB", type: "binding", kind: "D1 binding", description: "" },
} as const satisfies SettingTable;

const read = (source: Record<string, unknown>) =>
  readSettings({ BASE: "https://x.example", ...source }, TABLE);

describe("readSettings", () => {
  it("gives the defaults for unset or blank text, and leaves bindings out", () => {
    expect(read({ COUNT: " ", DB: {} })).toEqual({
      count: 2,
      limit: null,
      ttl: 60,
      on: false,
      mode: "a",
      host: "127.0.0.1",
      secret: null,
      base: "https://x.example",
      origins: [],
    });
  });

  it("parses each type: trimmed, case-blind words, URLs without trailing slashes", () => {
    expect(
      read({
        COUNT: " 9 ",
        LIMIT: "0",
        TTL_S: "0.5",
        ON: "Yes",
        MODE: "B",
        HOST: " 0.0.0.0 ",
        SECRET: " s ",
        BASE: "http://b.example//",
        ORIGINS: " http://o1:8080/, http://o2 ,",
      }),
    ).toEqual({
      count: 9,
      limit: 0,
      ttl: 0.5,
      on: true,
      mode: "b",
      host: "0.0.0.0",
      secret: " s ",
      base: "http://b.example",
      origins: ["http://o1:8080", "http://o2"],
    });
  });

  it.each([
    ["COUNT", "10"],
    ["COUNT", "0"],
    ["COUNT", "1.5"],
    ["TTL_S", "0"],
    ["ON", "maybe"],
    ["MODE", "c"],
    ["BASE", ""],
    ["BASE", "x.example"],
    ["ORIGINS", "http://o1,ftp://o2"],
  ])("refuses %s=%s, naming the variable", (name, text) => {
    expect(() => read({ [name]: text })).toThrow(SettingError);
    expect(() => read({ [name]: text })).toThrow(name);
  });
});
