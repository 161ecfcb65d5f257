/** Who reads a setting: the edge Worker, the origin (and through it its GEGL workers), or `imgflo-server dev`. */
export type SettingSide = "edge" | "origin" | "dev";

interface SettingCommon {
  /** The environment variable (or binding) name. */
  name: string;
  description: string;
  /** The default in words, where it is computed (CPU count, memory) or generated. */
  defaultText?: string;
  /** What `npm start` (`imgflo-server dev`) sets instead, in words. */
  localStack?: string;
}

export interface IntegerSetting extends SettingCommon {
  type: "integer";
  /** null: unset unless given (or computed by the reader, see defaultText). */
  default: number | null;
  min: number;
  max?: number;
}

/** A positive number of seconds (fractions allowed). */
export interface SecondsSetting extends SettingCommon {
  type: "seconds";
  default: number;
}

export interface BooleanSetting extends SettingCommon {
  type: "boolean";
  default: boolean;
}

export interface ChoiceSetting<C extends string = string> extends SettingCommon {
  type: "choice";
  choices: readonly C[];
  default: C;
}

export interface TextSetting extends SettingCommon {
  type: "text";
  /** null: unset unless given. */
  default: string | null;
  /** Secrets are taken byte for byte; other text is trimmed. */
  secret?: boolean;
}

/** An http(s) URL, trailing slashes dropped. */
export interface UrlSetting extends SettingCommon {
  type: "url";
  /** null: unset unless given; "required": refused when empty. */
  default: null | "required";
}

/** Comma-separated http(s) URLs, trailing slashes dropped. */
export interface UrlListSetting extends SettingCommon {
  type: "url-list";
}

/** A wrangler.toml binding (D1, R2, Queues…): no text to parse, listed for the README. */
export interface BindingSetting extends SettingCommon {
  type: "binding";
  /** What sort of binding, e.g. "D1 binding". */
  kind: string;
}

export type Setting =
  | IntegerSetting
  | SecondsSetting
  | BooleanSetting
  | ChoiceSetting
  | TextSetting
  | UrlSetting
  | UrlListSetting
  | BindingSetting;

/** The settings one side reads, by the name its config gives each. */
export type SettingTable = Readonly<Record<string, Setting>>;

/** What a setting parses to. */
export type SettingValue<S extends Setting> = S extends IntegerSetting
  ? S["default"] extends number
    ? number
    : number | null
  : S extends SecondsSetting
    ? number
    : S extends BooleanSetting
      ? boolean
      : S extends ChoiceSetting<infer C>
        ? C
        : S extends TextSetting
          ? S["default"] extends string
            ? string
            : string | null
          : S extends UrlSetting
            ? S["default"] extends "required"
              ? string
              : string | null
            : S extends UrlListSetting
              ? string[]
              : never;

/** The parsed values of a table's settings; bindings are read from the bindings themselves. */
export type SettingValues<T extends SettingTable> = {
  -readonly [K in keyof T as T[K] extends BindingSetting ? never : K]: SettingValue<T[K]>;
};
