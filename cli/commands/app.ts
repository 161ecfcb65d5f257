import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/sqlite-proxy";
import { type Application, applications } from "../../shared/db-schema.ts";
import { canonicalSourcePattern } from "../../shared/source-patterns.ts";
import {
  parseArguments,
  pickAction,
  refuseExtraArguments,
  refuseUnknownOptions,
  UsageError,
} from "../arguments.ts";
import type { Command } from "../command.ts";
import { type D1Target, executeSecretSql, executeSql } from "../wrangler.ts";

const USAGE = `Usage: imgflo-server app <action> [arguments] [--remote] [--persist-to DIR]

Manages the applications allowed to request signed URLs (the D1 table "applications").
Prints JSON on stdout.

Actions:
  add [--name N] [--quota N] [--disabled]   create an application with a fresh key and secret
      [--key K --secret S]                  (or import one from another imgflo server)
      [--allow-source PATTERN]...           its URLs may only name images matching a pattern
  list                                      list applications (without their secrets)
  disable <key>                             refuse the application's URLs, cached or not
  enable <key>                              accept them again
  quota <key> <n|unlimited>                 renders it may still start (0: cached results only)
  rotate <key> [--grace SECONDS]            a fresh secret, printed once; URLs signed with the
                                            previous one verify for the grace (default 86400)
  sources <key> [PATTERN...]                replace the allowed sources (none given: any source)
  remove <key>                              delete the application

Source patterns: an http(s) origin, then a path where "*" stands for any characters ("/"
included), e.g. 'https://cdn.example.com/images/*'. Image URLs are matched after resolution
(relative ones against PUBLIC_URL) and normalisation; the origin must be the pattern's exactly.

Options:
  --remote           the deployed D1 database (needs wrangler login); default: the local
                     database that \`npm start\` / \`wrangler dev\` uses
  --persist-to DIR   local state directory, as given to wrangler dev --persist-to

A running edge notices changes within 30 seconds (it caches applications briefly).`;

const KEY = /^[A-Za-z0-9._-]{1,128}$/;
const CONTROL_CHARACTERS = /\p{Cc}/u;
const DEFAULT_GRACE_S = 86_400;

/** Builds statements from the schema (shared/db-schema.ts); wrangler d1 execute runs them. */
const statements = drizzle(async () => ({ rows: [] }));

/** What `app` prints of an application: everything but its secret, under the table's names. */
const PRINTED = {
  key: applications.key,
  name: applications.name,
  enabled: applications.enabled,
  processing_quota: applications.processingQuota,
  allowed_sources: applications.allowedSources,
  previous_secret_expires: applications.previousSecretExpires,
  created_at: applications.createdAt,
};

/** SQL literals for wrangler d1 execute, which takes no bound parameters. */
function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  throw new Error(`No SQL literal for ${typeof value}.`);
}

/** A drizzle query as one statement, its bound parameters inlined as literals. */
function inlined(query: { toSQL(): { sql: string; params: unknown[] } }): string {
  const { sql: statement, params } = query.toSQL();
  let next = 0;
  // drizzle writes identifiers in double quotes and values only as placeholders.
  return statement.replace(/\?/g, () => sqlLiteral(params[next++]));
}

function parseQuota(text: string | undefined): number | null {
  if (text === undefined || text === "unlimited") return null;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`The quota must be a whole number or "unlimited" (got "${text}").`);
  }
  return Number(text);
}

function parseKey(text: string | undefined): string {
  if (text === undefined) throw new UsageError("Missing the application key.");
  if (!KEY.test(text)) throw new UsageError(`"${text}" is not an application key.`);
  return text;
}

function parseName(text: string | undefined): string {
  const name = text ?? "";
  if (CONTROL_CHARACTERS.test(name) || name.length > 200) {
    throw new UsageError("The name must be at most 200 characters, without control characters.");
  }
  return name;
}

function parseGrace(text: string | undefined): number {
  if (text === undefined) return DEFAULT_GRACE_S;
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`The grace must be a whole number of seconds (got "${text}").`);
  }
  return Number(text);
}

/** Source patterns as the edge matches them; none given means any source (null). */
function parseSources(patterns: readonly string[] | undefined): string[] | null {
  if (!patterns || patterns.length === 0) return null;
  try {
    return patterns.map(canonicalSourcePattern);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function isoTime(unixSeconds: number | null): string | null {
  return unixSeconds === null ? null : new Date(unixSeconds * 1000).toISOString();
}

/** A row as printed: booleans as booleans, the sources as a list, times as ISO 8601. */
function asApplication(row: Record<string, unknown>): Record<string, unknown> {
  const sources = row.allowed_sources;
  const expires = row.previous_secret_expires;
  return {
    ...row,
    enabled: Boolean(row.enabled),
    allowed_sources: typeof sources === "string" ? JSON.parse(sources) : null,
    previous_secret_expires: isoTime(typeof expires === "number" ? expires : null),
  };
}

async function updateOne(
  target: D1Target,
  key: string,
  change: Partial<Pick<Application, "enabled" | "processingQuota" | "allowedSources">>,
): Promise<Record<string, unknown>> {
  const update = statements
    .update(applications)
    .set(change)
    .where(eq(applications.key, key))
    .returning(PRINTED);
  const rows = await executeSql(inlined(update), target);
  const row = rows[0];
  if (!row) throw new Error(`There is no application with the key "${key}".`);
  return asApplication(row);
}

export interface NewApplication {
  key: string;
  secret: string;
  name: string;
  enabled: boolean;
  quota: number | null;
  /** Canonical source patterns (canonicalSourcePattern); null or absent: any source. */
  allowedSources?: string[] | null;
}

/** The INSERT of a new application; it holds the secret, so it goes through executeSecretSql. */
export function insertApplicationSql(application: NewApplication): string {
  const { key, secret, name, enabled, quota, allowedSources = null } = application;
  return inlined(
    statements
      .insert(applications)
      .values({ key, secret, name, enabled, processingQuota: quota, allowedSources }),
  );
}

/** The UPDATE of `app rotate`: the current secret becomes the previous one, verifying until `previousExpires`. */
function rotateSecretSql(key: string, secret: string, previousExpires: number): string {
  return inlined(
    statements
      .update(applications)
      // SQLite computes every SET from the row as it was: previous_secret gets the old secret.
      .set({
        secret,
        previousSecret: sql`${applications.secret}`,
        previousSecretExpires: previousExpires,
      })
      .where(eq(applications.key, key)),
  );
}

function parseSecret(text: string): string {
  if (!/^[\x21-\x7e]{1,256}$/.test(text)) {
    throw new UsageError("The secret must be 1 to 256 printable ASCII characters without spaces.");
  }
  return text;
}

function freshSecret(): string {
  return randomBytes(24).toString("hex");
}

/** A fresh key and secret from the CSPRNG, or both given (importing an existing application). */
function credentials(options: Record<string, string>): { key: string; secret: string } {
  const { key, secret } = options;
  if (key === undefined && secret === undefined) {
    return { key: randomBytes(12).toString("hex"), secret: freshSecret() };
  }
  if (key === undefined || secret === undefined) {
    throw new UsageError("Give both --key and --secret, or neither.");
  }
  return { key: parseKey(key), secret: parseSecret(secret) };
}

async function checkExists(target: D1Target, key: string): Promise<void> {
  const query = statements
    .select({ key: applications.key })
    .from(applications)
    .where(eq(applications.key, key));
  const rows = await executeSql(inlined(query), target);
  if (!rows[0]) throw new Error(`There is no application with the key "${key}".`);
}

type Action = (
  args: string[],
  options: Record<string, string>,
  flags: Set<string>,
  target: D1Target,
  lists: Record<string, string[]>,
) => Promise<unknown>;

const ACTIONS: Record<string, Action> = {
  async add(args, options, flags, target, lists) {
    refuseExtraArguments(args);
    const application: NewApplication = {
      ...credentials(options),
      name: parseName(options.name),
      enabled: !flags.has("disabled"),
      quota: parseQuota(options.quota),
      allowedSources: parseSources(lists["allow-source"]),
    };
    // Printed from what was inserted: a row read back through wrangler would land in its logs.
    await executeSecretSql(insertApplicationSql(application), target);
    const { key, secret, name, enabled, quota, allowedSources } = application;
    return {
      key,
      secret,
      name,
      enabled,
      processing_quota: quota,
      allowed_sources: allowedSources,
    };
  },
  async list(args, _options, _flags, target) {
    refuseExtraArguments(args);
    const list = statements
      .select(PRINTED)
      .from(applications)
      .orderBy(applications.createdAt, applications.key);
    const rows = await executeSql(inlined(list), target);
    return rows.map(asApplication);
  },
  disable: ([key], _options, _flags, target) =>
    updateOne(target, parseKey(key), { enabled: false }),
  enable: ([key], _options, _flags, target) => updateOne(target, parseKey(key), { enabled: true }),
  quota([key, quota], _options, _flags, target) {
    if (quota === undefined) throw new UsageError("Missing the quota.");
    return updateOne(target, parseKey(key), { processingQuota: parseQuota(quota) });
  },
  async rotate(args, options, _flags, target) {
    const [keyText] = args;
    refuseExtraArguments(args, 1);
    const key = parseKey(keyText);
    const grace = parseGrace(options.grace);
    await checkExists(target, key);
    const secret = freshSecret();
    // Counted from now, just before the write, so that the whole grace is left once it is done.
    const previousExpires = Math.floor(Date.now() / 1000) + grace;
    // Printed from memory, like add's: the statement holds the new secret.
    await executeSecretSql(rotateSecretSql(key, secret, previousExpires), target);
    return { key, secret, previous_secret_expires: isoTime(previousExpires) };
  },
  sources([key, ...patterns], _options, _flags, target) {
    return updateOne(target, parseKey(key), { allowedSources: parseSources(patterns) });
  },
  async remove([key], _options, _flags, target) {
    const remove = statements
      .delete(applications)
      .where(eq(applications.key, parseKey(key)))
      .returning({ key: applications.key });
    const rows = await executeSql(inlined(remove), target);
    if (!rows[0]) throw new Error(`There is no application with the key "${key}".`);
    return { key, removed: true };
  },
};

const ACTION_OPTIONS: Record<string, string[]> = {
  add: ["name", "quota", "key", "secret", "allow-source"],
  rotate: ["grace"],
};

export const appCommand: Command = {
  name: "app",
  summary: "manage the applications that sign URLs (D1)",
  usage: USAGE,
  async run(argv, io) {
    const { positionals, options, flags, lists } = parseArguments(
      argv,
      ["remote", "disabled"],
      ["allow-source"],
    );
    const { name: actionName, action, args } = pickAction(ACTIONS, positionals);
    refuseUnknownOptions(
      [...Object.keys(options), ...Object.keys(lists)],
      ["persist-to", ...(ACTION_OPTIONS[actionName] ?? [])],
      `app ${actionName}`,
    );
    if (flags.has("disabled") && actionName !== "add") {
      throw new UsageError('--disabled is for "app add".');
    }
    const remote = flags.has("remote");
    if (remote && options["persist-to"]) {
      throw new UsageError("--persist-to is for the local database.");
    }
    const target = { remote, persistTo: options["persist-to"] };
    const result = await action(args, options, flags, target, lists);
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  },
};
