import { readFile, writeFile } from "node:fs/promises";
import { withSettingsTables } from "./settings-readme.ts";

/** npm run docs:settings: rewrites the README's configuration tables from shared/settings.ts. */
const README = new URL("../README.md", import.meta.url);
const before = await readFile(README, "utf8");
const after = withSettingsTables(before);
await writeFile(README, after);
console.log(
  after === before
    ? "README.md: settings tables up to date"
    : "README.md: settings tables rewritten",
);
