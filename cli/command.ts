/** What every subcommand of `imgflo-server` provides. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Resolves to the exit code: 0 success, 1 failure. Throws UsageError for bad arguments (exit 2). */
  run(argv: readonly string[], io: CliIo): Promise<number>;
}
