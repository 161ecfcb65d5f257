import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { devCommand } from "../cli/commands/dev.ts";
import { graphCommand } from "../cli/commands/graph.ts";
import { originCommand } from "../cli/commands/origin.ts";
import { purgeCommand } from "../cli/commands/purge.ts";
import { urlCommand } from "../cli/commands/url.ts";
import { withSettingsTables } from "../scripts/settings-readme.ts";
import { SETTINGS } from "../shared/settings.ts";

describe("the settings table", () => {
  it("is what README.md's configuration tables say (npm run docs:settings rewrites them)", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    expect(withSettingsTables(readme)).toBe(readme);
  });

  it("is what the CLI's help lists", () => {
    for (const [command, side] of [
      [originCommand, "origin"],
      [devCommand, "dev"],
    ] as const) {
      for (const { name } of SETTINGS[side]) {
        expect(command.usage).toMatch(new RegExp(`\\n  ${name}\\s`));
      }
    }
  });

  it("names each variable once a side", () => {
    for (const settings of Object.values(SETTINGS)) {
      const names = settings.map(({ name }) => name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it("leaves out no variable of the command-line client, which README.md lists by hand", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    for (const command of [urlCommand, graphCommand, purgeCommand]) {
      for (const [, name] of command.usage.matchAll(/\(env (IMGFLO_[A-Z_]+)/g)) {
        expect(readme).toMatch(new RegExp(`\\n\\| \`${name}\` \\| \`--`));
      }
    }
  });
});
