import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { readSettings, SettingError } from "../../shared/read-settings.ts";
import { DEV_SETTINGS } from "../../shared/settings.ts";
import {
  parseArguments,
  refuseExtraArguments,
  refuseUnknownOptions,
  UsageError,
} from "../arguments.ts";
import type { CliIo, Command } from "../command.ts";
import { settingsHelp } from "../settings-help.ts";
import { applyMigrations, PROJECT_ROOT, WRANGLER_BIN, WRANGLER_CONFIG } from "../wrangler.ts";

const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 10_000;
const FIRST_RESTART_DELAY_MS = 1000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A service that ran this long before dying was healthy: its next restart waits the shortest delay again. */
const STABLE_RUN_MS = 30_000;

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

interface Service {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Each service gets its own process group, so stopping it also stops what it started (workerd, GEGL workers). */
function startService(name: string, args: string[], env: Record<string, string>): Service {
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  return { name, child, exited };
}

function signalGroupOf(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

function signalGroup(service: Service, signal: NodeJS.Signals): void {
  if (service.child.exitCode !== null || service.child.signalCode !== null || !service.child.pid)
    return;
  signalGroupOf(service.child.pid, signal);
}

async function stopService(service: Service): Promise<void> {
  signalGroup(service, "SIGTERM");
  const timer = setTimeout(() => signalGroup(service, "SIGKILL"), STOP_TIMEOUT_MS);
  await service.exited;
  clearTimeout(timer);
}

async function waitUntilHealthy(service: Service, url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exited = false;
  void service.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`The ${service.name} exited while starting.`);
    const healthy = await fetch(url, { signal: AbortSignal.timeout(2000) }).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The ${service.name} did not answer ${url} within ${START_TIMEOUT_MS / 1000} s.`);
}

/** A service kept running: restarted whenever it dies, until stopped. */
interface Supervised {
  stop(): Promise<void>;
}

/**
 * Restarts a service each time it dies, waiting 1 s, then twice as long after each death that
 * follows a short run (up to 30 s), so a crash loop does not spin; reports when it is healthy again.
 */
function supervise(first: Service, start: () => Service, healthUrl: string, io: CliIo): Supervised {
  let service = first;
  let startedAt = Date.now();
  let delay = FIRST_RESTART_DELAY_MS;
  let restart: NodeJS.Timeout | undefined;
  let stopped = false;
  const watch = (watched: Service) => {
    void watched.exited.then((code) => {
      if (stopped) return;
      // What it started (GEGL workers) must not outlive it.
      if (watched.child.pid) signalGroupOf(watched.child.pid, "SIGKILL");
      if (Date.now() - startedAt >= STABLE_RUN_MS) delay = FIRST_RESTART_DELAY_MS;
      io.stderr(
        `The ${watched.name} exited (${code ?? "killed"}); restarting it in ${delay / 1000} s.\n`,
      );
      restart = setTimeout(() => {
        service = start();
        startedAt = Date.now();
        watch(service);
        waitUntilHealthy(service, healthUrl).then(
          () => io.stdout(`The ${service.name} is up again (pid ${service.child.pid}).\n`),
          () => undefined,
        );
      }, delay);
      delay = Math.min(delay * 2, MAX_RESTART_DELAY_MS);
    });
  };
  watch(service);
  return {
    async stop() {
      stopped = true;
      clearTimeout(restart);
      await stopService(service);
    },
  };
}

const STOP_SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** Resolves when a signal asks to stop (0) or a service dies on its own (1). */
function untilStopped(services: Service[], io: CliIo): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const finish = (code: number) => {
      stopping = true;
      for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
      resolve(code);
    };
    const onSignal = () => finish(0);
    for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
    for (const service of services) {
      void service.exited.then((code) => {
        if (stopping) return;
        io.stderr(`The ${service.name} exited (${code ?? "killed"}); stopping.\n`);
        finish(1);
      });
    }
  });
}

export const devCommand: Command = {
  name: "dev",
  summary: "run the local stack: render origin + edge Worker (wrangler dev)",
  get usage() {
    return usage();
  },
  async run(argv, io) {
    const { positionals, options } = parseArguments(argv);
    refuseExtraArguments(positionals);
    refuseUnknownOptions(Object.keys(options), ["persist-to"]);
    const { "persist-to": persistTo } = options;
    const stateDir = persistTo ? resolve(persistTo) : join(PROJECT_ROOT, DEFAULT_STATE_DIR);
    const settings = devSettings(io.env);
    const { port: originPort, edgePort, runtimePort } = settings;
    const admin = adminToken(settings.adminToken);
    const runtime = {
      url: `ws://127.0.0.1:${runtimePort}/`,
      secret: randomBytes(24).toString("hex"),
    };
    if (!existsSync(join(PROJECT_ROOT, "build/edge-assets/index.html"))) {
      io.stderr('The edge assets are not built; run "npm run setup" (or "npm start") first.\n');
      return 1;
    }

    io.stdout("Applying the local D1 migrations...\n");
    await applyMigrations({ remote: false, persistTo: stateDir });
    const secret = randomBytes(32).toString("hex");
    const originUrl = `http://127.0.0.1:${originPort}`;
    // The secrets reach wrangler through a file in the state folder, never a command line.
    const secretsFile = join(stateDir, "dev-secrets.env");
    await mkdir(stateDir, { recursive: true });
    await writeFile(secretsFile, `ORIGIN_SECRET=${secret}\nADMIN_TOKEN=${admin.token}\n`, {
      mode: 0o600,
    });
    // The mode given to writeFile only applies to a new file.
    await chmod(secretsFile, 0o600);

    const services: Service[] = [];
    const stopAll = () => Promise.all(services.map(stopService));
    const startOrigin = () =>
      startService("origin", ["bin/imgflo-server.js", "origin"], {
        PORT: String(originPort),
        HOST: "127.0.0.1",
        ORIGIN_SECRET: secret,
        ALLOW_PRIVATE_INPUTS: "1",
        // A person reads this terminal (DEV_SETTINGS); deployments keep the JSON lines.
        LOG_FORMAT: settings.logFormat,
        // The editor's runtime, loopback only. Flowhub's Save (network:persist) writes into
        // graphs/, served after a restart; the editor publishes to the edge instead.
        RUNTIME_PORT: String(runtimePort),
        RUNTIME_SECRET: runtime.secret,
        RUNTIME_SAVE_DIR: join(PROJECT_ROOT, "graphs"),
      });
    const originHealth = `${originUrl}/healthz`;
    let origin: Service;
    let edge: Service;
    try {
      origin = startOrigin();
      services.push(origin);
      await waitUntilHealthy(origin, originHealth);
      edge = startService(
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
          stateDir,
          "--env-file",
          secretsFile,
          "--var",
          `ORIGIN_URLS:${originUrl}`,
          "--var",
          `PUBLIC_URL:http://127.0.0.1:${edgePort}`,
          "--var",
          "ALLOW_UNSIGNED:true",
        ],
        {},
      );
      services.push(edge);
      await waitUntilHealthy(edge, `http://127.0.0.1:${edgePort}/healthz`);
    } catch (error) {
      await stopAll();
      throw error;
    }

    // From here on a dead origin is restarted while the edge keeps answering (cached: 301, else 502).
    const supervised = supervise(origin, startOrigin, originHealth, io);
    const editorFragment = new URLSearchParams({
      runtime: runtime.url,
      secret: runtime.secret,
      token: admin.token,
    });
    io.stdout(
      `\nimgflo-server is running: open http://localhost:${edgePort}/\n` +
        `  edge   http://localhost:${edgePort}/  (wrangler dev; unsigned URLs allowed)\n` +
        `  origin ${originUrl}/  (pid ${origin.child.pid}; restarted if it dies)\n` +
        `  editor http://localhost:${edgePort}/editor#${editorFragment}\n` +
        `  flowhub https://app.flowhub.io#runtime/endpoint?${encodeURIComponent(`protocol=websocket&address=${runtime.url}&secret=${runtime.secret}`)}\n` +
        (admin.generated
          ? `  admin  token ${admin.token}  (generated for this start; set ADMIN_TOKEN to keep one)\n`
          : "  admin  token from ADMIN_TOKEN\n") +
        'Create an application with "npx imgflo-server app add --name demo". Ctrl-C stops both.\n',
    );
    const code = await untilStopped([edge], io);
    io.stdout("Stopping...\n");
    await Promise.all([supervised.stop(), stopService(edge)]);
    return code;
  },
};
