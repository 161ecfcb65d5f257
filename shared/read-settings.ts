import { parseBooleanWord } from "./boolean-words.ts";
import type { Setting, SettingTable, SettingValues } from "./setting-types.ts";

/** A setting's text that cannot be used; the message names the variable. */
export class SettingError extends Error {
  constructor(variable: string, why: string) {
    super(`${variable} ${why}`);
    this.name = "SettingError";
  }
}

/** Environment variables, or a Worker's bindings object (whose bindings are not text). */
export type SettingSource = Readonly<Record<string, unknown>>;

function httpUrl(name: string, text: string): string {
  const url = text.trim().replace(/\/+$/, "");
  if (!/^https?:\/\//.test(url) || !URL.canParse(url)) {
    throw new SettingError(name, `holds "${url}", which is not an http(s) URL.`);
  }
  return url;
}

function integer(setting: Extract<Setting, { type: "integer" }>, text: string): number {
  const value = Number(text);
  const max = setting.max ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(value) || value < setting.min || value > max) {
    const range =
      setting.max === undefined ? `of at least ${setting.min}` : `from ${setting.min} to ${max}`;
    throw new SettingError(setting.name, `must be an integer ${range} (got "${text}").`);
  }
  return value;
}

function seconds(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new SettingError(name, `must be a positive number of seconds (got "${text}").`);
  }
  return value;
}

function boolean(name: string, text: string): boolean {
  const value = parseBooleanWord(text);
  if (value === null) throw new SettingError(name, `must be true or false (got "${text}").`);
  return value;
}

function choice(setting: Extract<Setting, { type: "choice" }>, text: string): string {
  const word = text.toLowerCase();
  if (setting.choices.includes(word)) return word;
  throw new SettingError(setting.name, `must be ${setting.choices.join(" or ")} (got "${text}").`);
}

/** One setting from its text; unset or blank text gives the default. */
export function readSetting(setting: Setting, raw: unknown): unknown {
  const text = typeof raw === "string" ? raw : undefined;
  const trimmed = text?.trim() ?? "";
  if (setting.type === "text" && setting.secret) return text ? text : setting.default;
  if (setting.type === "url-list") {
    return trimmed
      .split(",")
      .filter((url) => url.trim() !== "")
      .map((url) => httpUrl(setting.name, url));
  }
  if (trimmed === "") {
    if (setting.type === "url" && setting.default === "required") return httpUrl(setting.name, "");
    return setting.type === "binding" ? undefined : setting.default;
  }
  switch (setting.type) {
    case "integer":
      return integer(setting, trimmed);
    case "seconds":
      return seconds(setting.name, trimmed);
    case "boolean":
      return boolean(setting.name, trimmed);
    case "choice":
      return choice(setting, trimmed);
    case "url":
      return httpUrl(setting.name, trimmed);
    case "text":
      return trimmed;
    case "binding":
      return undefined;
  }
}

/** Every setting of a table from one source: the only parser of settings, for every side. */
export function readSettings<T extends SettingTable>(
  source: SettingSource,
  table: T,
): SettingValues<T> {
  const values: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(table)) {
    if (setting.type !== "binding") values[key] = readSetting(setting, source[setting.name]);
  }
  return values as SettingValues<T>;
}
