/** Command-line arguments: positionals, `--name value` / `--name=value` options and bare flags. */
export interface ParsedArguments {
  positionals: string[];
  options: Record<string, string>;
  flags: Set<string>;
  /** Options that may be repeated, each with its values in order. */
  lists: Record<string, string[]>;
}

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** `flagNames` are options that take no value (`--help`, `--remote`), `listNames` those that may be repeated. */
export function parseArguments(
  argv: readonly string[],
  flagNames: readonly string[] = [],
  listNames: readonly string[] = [],
): ParsedArguments {
  const parsed: ParsedArguments = { positionals: [], options: {}, flags: new Set(), lists: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--") || arg === "--") {
      parsed.positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf("=");
    const name = equals < 0 ? arg.slice(2) : arg.slice(2, equals);
    if (name === "") throw new UsageError(`Malformed option "${arg}".`);
    if (flagNames.includes(name) || name === "help") {
      if (equals >= 0) throw new UsageError(`--${name} takes no value.`);
      parsed.flags.add(name);
      continue;
    }
    const value = equals < 0 ? argv[++i] : arg.slice(equals + 1);
    if (value === undefined) throw new UsageError(`--${name} needs a value.`);
    if (listNames.includes(name)) {
      parsed.lists[name] = [...(parsed.lists[name] ?? []), value];
      continue;
    }
    parsed.options[name] = value;
  }
  return parsed;
}

/** Refuses positionals beyond the first `count`. */
export function refuseExtraArguments(args: readonly string[], count = 0): void {
  const extra = args[count];
  if (extra !== undefined) throw new UsageError(`Unexpected argument "${extra}".`);
}

/** Refuses an option outside `allowed`; `action` (e.g. "graph list") is named in the message. */
export function refuseUnknownOptions(
  given: readonly string[],
  allowed: readonly string[],
  action?: string,
): void {
  const unknown = given.find((option) => !allowed.includes(option));
  if (unknown === undefined) return;
  throw new UsageError(`Unknown option --${unknown}${action ? ` for "${action}"` : ""}.`);
}

/** The action a command's first positional names (`graph publish`, `app add`), and its arguments. */
export function pickAction<A>(
  actions: Readonly<Record<string, A>>,
  positionals: readonly string[],
): { name: string; action: A; args: string[] } {
  const [name, ...args] = positionals;
  if (!name) throw new UsageError("Missing the action.");
  const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
  if (action === undefined) throw new UsageError(`Unknown action "${name}".`);
  return { name, action, args };
}
