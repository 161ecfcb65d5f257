import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArguments, UsageError } from "../arguments.ts";
import type { CliIo, Command } from "../command.ts";
import { applyMigrations, PROJECT_ROOT, WRANGLER_BIN, WRANGLER_CONFIG } from "../wrangler.ts";

const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 10_000;

const DEFAULT_STATE_DIR = ".wrangler/state";

const USAGE = `Usage: imgflo-server dev [--persist-to DIR]

Runs the whole stack locally until Ctrl-C: applies the local D1 migrations, starts
the render origin on PORT (8080) and the edge Worker (wrangler dev, local D1/R2/Queues)
on EDGE_PORT (8787), sharing a freshly generated ORIGIN_SECRET. Unsigned URLs are
allowed and the origin may fetch inputs from private addresses (e.g. this machine).

Options:
  --persist-to DIR   local D1/R2/Queue state (default ${DEFAULT_STATE_DIR}, the one
                     "imgflo-server app" uses); the generated secret is kept there too

Environment:
  PORT          origin port (default 8080)
  EDGE_PORT     edge port (default 8787)
  RUNTIME_PORT  the graph editor's FBP runtime, on loopback (default 3569)`;

function port(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > 65535)
    throw new UsageError(`${name} must be a port number.`);
  return value;
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

function signalGroup(service: Service, signal: NodeJS.Signals): void {
  if (service.child.exitCode !== null || service.child.signalCode !== null || !service.child.pid)
    return;
  try {
    process.kill(-service.child.pid, signal);
  } catch {
    // The group is already gone.
  }
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
  usage: USAGE,
  async run(argv, io) {
    const { positionals, options } = parseArguments(argv);
    if (positionals.length > 0) throw new UsageError(`Unexpected argument "${positionals[0]}".`);
    const { "persist-to": persistTo, ...others } = options;
    const unknown = Object.keys(others)[0];
    if (unknown) throw new UsageError(`Unknown option --${unknown}.`);
    const stateDir = persistTo ? resolve(persistTo) : join(PROJECT_ROOT, DEFAULT_STATE_DIR);
    const originPort = port("PORT", io.env.PORT, 8080);
    const edgePort = port("EDGE_PORT", io.env.EDGE_PORT, 8787);
    const runtimePort = port("RUNTIME_PORT", io.env.RUNTIME_PORT, 3569);
    const runtime = {
      url: `ws://127.0.0.1:${runtimePort}/`,
      secret: randomBytes(24).toString("hex"),
    };
    if (!existsSync(join(PROJECT_ROOT, "build/edge-assets.ts"))) {
      io.stderr('The edge assets are not built; run "npm run setup" (or "npm start") first.\n');
      return 1;
    }

    io.stdout("Applying the local D1 migrations...\n");
    await applyMigrations({ remote: false, persistTo: stateDir });
    const secret = randomBytes(32).toString("hex");
    const originUrl = `http://127.0.0.1:${originPort}`;
    // The secret reaches wrangler through a file in the state folder, never a command line.
    const secretsFile = join(stateDir, "dev-secrets.env");
    await mkdir(stateDir, { recursive: true });
    await writeFile(secretsFile, `ORIGIN_SECRET=${secret}\n`, { mode: 0o600 });

    const services: Service[] = [];
    const stopAll = () => Promise.all(services.map(stopService));
    try {
      const origin = startService("origin", ["bin/imgflo-server.js", "origin"], {
        PORT: String(originPort),
        HOST: "127.0.0.1",
        ORIGIN_SECRET: secret,
        ALLOW_PRIVATE_INPUTS: "1",
        // The editor's runtime: loopback only, saving into graphs/ (served after a restart).
        RUNTIME_PORT: String(runtimePort),
        RUNTIME_SECRET: runtime.secret,
        RUNTIME_SAVE_DIR: join(PROJECT_ROOT, "graphs"),
      });
      services.push(origin);
      await waitUntilHealthy(origin, `${originUrl}/healthz`);
      const edge = startService(
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

    io.stdout(
      `\nimgflo-server is running: open http://localhost:${edgePort}/\n` +
        `  edge   http://localhost:${edgePort}/  (wrangler dev; unsigned URLs allowed)\n` +
        `  origin ${originUrl}/\n` +
        `  editor http://localhost:${edgePort}/editor#${new URLSearchParams({ runtime: runtime.url, secret: runtime.secret })}\n` +
        `  flowhub https://app.flowhub.io#runtime/endpoint?${encodeURIComponent(`protocol=websocket&address=${runtime.url}&secret=${runtime.secret}`)}\n` +
        'Create an application with "npx imgflo-server app add --name demo". Ctrl-C stops both.\n',
    );
    const code = await untilStopped(services, io);
    io.stdout("Stopping...\n");
    await stopAll();
    return code;
  },
};
