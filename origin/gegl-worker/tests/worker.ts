import { WORKER_BINARY } from "../../config.ts";
import { WorkerProcess } from "../../worker/worker-process.ts";

/**
 * A worker for the tests that compare two: GEGL on one thread, this process's environment and
 * `env`; its stderr lines go to `log`.
 */
export function startWorker(
  env: Record<string, string>,
  log: (line: string) => void = () => {},
): Promise<WorkerProcess> {
  return WorkerProcess.start({
    binary: WORKER_BINARY,
    env: { ...(process.env as Record<string, string>), GEGL_THREADS: "1", ...env },
    startTimeoutMs: 60_000,
    log,
  });
}
