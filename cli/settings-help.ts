import { settingBounds, settingDefault } from "../shared/setting-docs.ts";
import type { Setting } from "../shared/setting-types.ts";

const WIDTH = 80;
/** Where descriptions start; a longer name has its description on the next line. */
const MAX_COLUMN = 26;

/** Markdown's code spans and links as plain text. */
function plain(text: string): string {
  return text.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1").replace(/`/g, "");
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines;
}

/** The "Environment:" part of a command's help, rendered from the settings table when asked. */
export function settingsHelp(settings: readonly Setting[]): string {
  const column = Math.min(MAX_COLUMN, Math.max(...settings.map(({ name }) => name.length)) + 4);
  const indent = " ".repeat(column);
  return settings
    .map((setting) => {
      const bounds = settingBounds(setting);
      const facts = `default ${settingDefault(setting)}${bounds ? `; ${bounds}` : ""}`;
      const lines = wrap(plain(`${setting.description} (${facts})`), WIDTH - column).map(
        (line) => indent + line,
      );
      const name = `  ${setting.name}`;
      if (name.length + 2 > column) return [name, ...lines].join("\n");
      return [name.padEnd(column) + lines[0]?.trimStart(), ...lines.slice(1)].join("\n");
    })
    .join("\n");
}
