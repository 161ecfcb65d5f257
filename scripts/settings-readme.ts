import { settingBounds, settingDefault, settingType } from "../shared/setting-docs.ts";
import type { SettingSide } from "../shared/setting-types.ts";
import { SETTINGS } from "../shared/settings.ts";

/** The README's configuration tables, one a side, each between its markers. */
const SIDES: readonly SettingSide[] = ["edge", "origin", "dev"];

const begin = (side: SettingSide) =>
  `<!-- settings:${side} (generated from shared/settings.ts by npm run docs:settings) -->`;
const end = (side: SettingSide) => `<!-- /settings:${side} -->`;

/** One side's settings as a Markdown table. */
export function settingsTable(side: SettingSide): string {
  const rows = SETTINGS[side].map((setting) =>
    [
      `\`${setting.name}\``,
      settingType(setting),
      settingDefault(setting),
      settingBounds(setting),
      setting.description,
    ].join(" | "),
  );
  return [
    "| name | type | default | bounds | meaning |",
    "| --- | --- | --- | --- | --- |",
    ...rows.map((row) => `| ${row} |`),
  ].join("\n");
}

/** The README with every side's table written between its markers; throws when markers are missing. */
export function withSettingsTables(readme: string): string {
  let text = readme;
  for (const side of SIDES) {
    const from = text.indexOf(begin(side));
    const to = text.indexOf(end(side));
    if (from < 0 || to < from) {
      throw new Error(`README.md lacks the markers ${begin(side)} … ${end(side)}.`);
    }
    text = `${text.slice(0, from + begin(side).length)}\n${settingsTable(side)}\n${text.slice(to)}`;
  }
  return text;
}
