import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { originProcessEnv } from "../../origin/malloc-tunables.ts";
import { readSettings, SettingError } from "../../shared/read-settings.ts";
import { DEV_SETTINGS } from "../../shared/settings.ts";
import {
  parseArguments,
  refuseExtraArguments,
  refuseUnknownOptions,
  UsageError,
} from "../arguments.ts";
import type { CliIo, Command } from "../command.ts";
import {
  type Service,
  startService,
  stopService,
  supervise,
  untilStopped,
  waitUntilHealthy,
} from "../services.ts";
import { settingsHelp } from "../settings-help.ts";
import { applyMigrations, PROJECT_ROOT, WRANGLER_BIN, WRANGLER_CONFIG } from "../wrangler.ts";

const DEFAULT_STATE_DIR = ".wrangler/state";
/** What ADMIN_TOKEN may hold: it goes into an env file and a URL fragment as it is. */
const ADMIN_TOKEN_FORM = /^[A-Za-z0-9._~+/=-]{16,}$/;

const usage = () => `Usage: imgflo-server dev [--persist-to DIR]

Runs the whole stack locally until Ctrl-C: applies the local D1 migrations, starts
the render origin on PORT and the edge Worker (wrangler dev, local D1/R2/Queues)
on EDGE_PORT, sharing a freshly generated ORIGIN_SECRET. Unsigned URLs are
allowed and the origin may fetch inputs from private addresses (e.g. this machine).
The edge's admin API (and the graph editor's Publish) takes ADMIN_TOKEN, generated
and printed when it is not set; the editor's printed address carries it.
An origin that dies is restarted (after 1 s, doubling up to 30 s while it keeps dying);
meanwhile the edge serves cached results and answers 502 for the others.

Options:
  --persist-to DIR   local D1/R2/Queue state (default ${DEFAULT_STATE_DIR}, the one
                     "imgflo-server app" uses); the generated secret is kept there too

Environment:
${settingsHelp(Object.values(DEV_SETTINGS))}`;

/** The local stack's settings; a value it cannot use is a usage error (exit 2). */
function devSettings(env: CliIo["env"]) {
  try {
    return readSettings(env, DEV_SETTINGS);
  } catch (error) {
    if (error instanceof SettingError) throw new UsageError(error.message);
    throw error;
  }
}

/** ADMIN_TOKEN as given, else a fresh one (32 random bytes as hex) that the banner prints. */
function adminToken(text: string | null): { token: string; generated: boolean } {
  if (text === null) {
    return { token: randomBytes(32).toString("hex"), generated: true };
  }
  if (!ADMIN_TOKEN_FORM.test(text)) {
    throw new UsageError(
      "ADMIN_TOKEN must be 16 or more characters of A-Z, a-z, 0-9 and . _ ~ + / = -.",
    );
  }
  return { token: text, generated: false };
}

/** What the local stack is started with, from the command line and the environment. */
interface DevStack {
  stateDir: string;
  settings: ReturnType<typeof devSettings>;
  admin: ReturnType<typeof adminToken>;
  /** The editor's FBP runtime on the origin, loopback only. */
  runtime: { url: string; secret: string };
  originSecret: string;
  originUrl: string;
  secretsFile: string;
}

/** The secrets reach wrangler through a file in the state folder, never a command line. */
async function writeSecretsFile(stack: DevStack): Promise<void> {
  await mkdir(stack.stateDir, { recursive: true });
  await writeFile(
    stack.secretsFile,
    `ORIGIN_SECRET=${stack.originSecret}\nADMIN_TOKEN=${stack.admin.token}\n`,
    { mode: 0o600 },
  );
  // The mode given to writeFile only applies to a new file.
  await chmod(stack.secretsFile, 0o600);
}

function startOrigin(stack: DevStack): Service {
  return startService("origin", ["bin/imgflo-server.js", "origin"], {
    PORT: String(stack.settings.port),
    HOST: "127.0.0.1",
    ORIGIN_SECRET: stack.originSecret,
    ALLOW_PRIVATE_INPUTS: "1",
    // A person reads this terminal (DEV_SETTINGS); deployments keep the JSON lines.
    LOG_FORMAT: stack.settings.logFormat,
    // The editor's runtime, loopback only. Flowhub's Save (network:persist) writes into
    // graphs/, served after a restart; the editor publishes to the edge instead.
    RUNTIME_PORT: String(stack.settings.runtimePort),
    RUNTIME_SECRET: stack.runtime.secret,
    RUNTIME_SAVE_DIR: join(PROJECT_ROOT, "graphs"),
    ...originProcessEnv(),
  });
}

function startEdge(stack: DevStack): Service {
  const { edgePort } = stack.settings;
  return startService(
    "edge",
    [
      WRANGLER_BIN,
      "dev",
      "--config",
      WRANGLER_CONFIG,
      "--ip",
      "127.0.0.1",
      "--port",
      String(edgePort),
      "--show-interactive-dev-session=false",
      "--persist-to",
      stack.stateDir,
      "--env-file",
      stack.secretsFile,
      "--var",
      `ORIGIN_URLS:${stack.originUrl}`,
      "--var",
      `PUBLIC_URL:http://127.0.0.1:${edgePort}`,
      "--var",
      "ALLOW_UNSIGNED:true",
    ],
    {},
  );
}

const originHealth = (stack: DevStack) => `${stack.originUrl}/healthz`;

/** The origin, then the edge, each once it answers its health check; neither if one fails. */
async function startBoth(stack: DevStack): Promise<{ origin: Service; edge: Service }> {
  const services: Service[] = [];
  try {
    const origin = startOrigin(stack);
    services.push(origin);
    await waitUntilHealthy(origin, originHealth(stack));
    const edge = startEdge(stack);
    services.push(edge);
    await waitUntilHealthy(edge, `http://127.0.0.1:${stack.settings.edgePort}/healthz`);
    return { origin, edge };
  } catch (error) {
    await Promise.all(services.map(stopService));
    throw error;
  }
}

/** What is running where, and the editor's and Flowhub's addresses. */
function banner(stack: DevStack, origin: Service): string {
  const { edgePort } = stack.settings;
  const { admin, runtime } = stack;
  const editorFragment = new URLSearchParams({
    runtime: runtime.url,
    secret: runtime.secret,
    token: admin.token,
  });
  return (
    `\nimgflo-server is running: open http://localhost:${edgePort}/\n` +
    `  edge   http://localhost:${edgePort}/  (wrangler dev; unsigned URLs allowed)\n` +
    `  origin ${stack.originUrl}/  (pid ${origin.child.pid}; restarted if it dies)\n` +
    `  editor http://localhost:${edgePort}/editor#${editorFragment}\n` +
    `  flowhub https://app.flowhub.io#runtime/endpoint?${encodeURIComponent(`protocol=websocket&address=${runtime.url}&secret=${runtime.secret}`)}\n` +
    (admin.generated
      ? `  admin  token ${admin.token}  (generated for this start; set ADMIN_TOKEN to keep one)\n`
      : "  admin  token from ADMIN_TOKEN\n") +
    'Create an application with "npx imgflo-server app add --name demo". Ctrl-C stops both.\n'
  );
}

/** The stack's options and settings; a bad one is a usage error, before anything starts. */
function devStack(argv: readonly string[], io: CliIo): DevStack {
  const { positionals, options } = parseArguments(argv);
  refuseExtraArguments(positionals);
  refuseUnknownOptions(Object.keys(options), ["persist-to"]);
  const { "persist-to": persistTo } = options;
  const stateDir = persistTo ? resolve(persistTo) : join(PROJECT_ROOT, DEFAULT_STATE_DIR);
  const settings = devSettings(io.env);
  return {
    stateDir,
    settings,
    admin: adminToken(settings.adminToken),
    runtime: {
      url: `ws://127.0.0.1:${settings.runtimePort}/`,
      secret: randomBytes(24).toString("hex"),
    },
    originSecret: randomBytes(32).toString("hex"),
    originUrl: `http://127.0.0.1:${settings.port}`,
    secretsFile: join(stateDir, "dev-secrets.env"),
  };
}

export const devCommand: Command = {
  name: "dev",
  summary: "run the local stack: render origin + edge Worker (wrangler dev)",
  get usage() {
    return usage();
  },
  async run(argv, io) {
    const stack = devStack(argv, io);
    if (!existsSync(join(PROJECT_ROOT, "build/edge-assets/index.html"))) {
      io.stderr('The edge assets are not built; run "npm run setup" (or "npm start") first.\n');
      return 1;
    }

    io.stdout("Applying the local D1 migrations...\n");
    await applyMigrations({ remote: false, persistTo: stack.stateDir });
    await writeSecretsFile(stack);
    const { origin, edge } = await startBoth(stack);

    // From here on a dead origin is restarted while the edge keeps answering (cached: 301, else 502).
    const supervised = supervise(origin, () => startOrigin(stack), originHealth(stack), io);
    io.stdout(banner(stack, origin));
    const code = await untilStopped([edge], io);
    io.stdout("Stopping...\n");
    await Promise.all([supervised.stop(), stopService(edge)]);
    return code;
  },
};
