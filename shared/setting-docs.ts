import type { Setting } from "./setting-types.ts";

/**
 * The words the README's configuration tables and the CLI's help say about a setting, from the
 * table (shared/settings.ts) alone. Text may hold Markdown code spans (`like this`).
 */

/** The setting's type in a word or two (a binding's sort, for bindings). */
export function settingType(setting: Setting): string {
  switch (setting.type) {
    case "binding":
      return setting.kind;
    case "text":
      return setting.secret ? "secret" : "text";
    case "url-list":
      return "URL list";
    case "url":
      return "URL";
    default:
      return setting.type;
  }
}

/** Its default, in words when it is computed; `npm start`'s value after it. */
export function settingDefault(setting: Setting): string {
  let text = setting.defaultText;
  if (text === undefined) {
    const value = "default" in setting ? setting.default : null;
    if (value === "required") text = "—";
    else text = value === null || value === "" ? "unset" : `\`${String(value)}\``;
  }
  return setting.localStack ? `${text} (\`npm start\`: ${setting.localStack})` : text;
}

/** The values it takes, beyond its type: a range, the choices, a URL's scheme. */
export function settingBounds(setting: Setting): string {
  switch (setting.type) {
    case "integer":
      return setting.max === undefined ? `≥ ${setting.min}` : `${setting.min}–${setting.max}`;
    case "seconds":
      return "> 0";
    case "boolean":
      return "`true`/`false`, `1`/`0`, `yes`/`no`, `on`/`off`";
    case "choice":
      return setting.choices.map((choice) => `\`${choice}\``).join(", ");
    case "url":
    case "url-list":
      return "http(s)";
    default:
      return "";
  }
}
