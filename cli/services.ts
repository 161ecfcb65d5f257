/** The child processes a command runs and keeps running: start, health check, stop, restart. */
import { type ChildProcess, spawn } from "node:child_process";
import type { CliIo } from "./command.ts";
import { PROJECT_ROOT } from "./wrangler.ts";

const START_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 10_000;
const FIRST_RESTART_DELAY_MS = 1000;
const MAX_RESTART_DELAY_MS = 30_000;
/** A service that ran this long before dying was healthy: its next restart waits the shortest delay again. */
const STABLE_RUN_MS = 30_000;

export interface Service {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

/** Each service gets its own process group, so stopping it also stops what it started (workerd, GEGL workers). */
export function startService(name: string, args: string[], env: Record<string, string>): Service {
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

export async function stopService(service: Service): Promise<void> {
  signalGroup(service, "SIGTERM");
  const timer = setTimeout(() => signalGroup(service, "SIGKILL"), STOP_TIMEOUT_MS);
  await service.exited;
  clearTimeout(timer);
}

export async function waitUntilHealthy(service: Service, url: string): Promise<void> {
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
export interface Supervised {
  stop(): Promise<void>;
}

/**
 * Restarts a service each time it dies, waiting 1 s, then twice as long after each death that
 * follows a short run (up to 30 s), so a crash loop does not spin; reports when it is healthy again.
 */
export function supervise(
  first: Service,
  start: () => Service,
  healthUrl: string,
  io: CliIo,
): Supervised {
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
export function untilStopped(services: Service[], io: CliIo): Promise<number> {
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
