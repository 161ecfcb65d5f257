import { UsageError } from "./arguments.ts";
import type { CliIo, Command } from "./command.ts";
import { appCommand } from "./commands/app.ts";
import { devCommand } from "./commands/dev.ts";
import { graphCommand } from "./commands/graph.ts";
import { originCommand } from "./commands/origin.ts";
import { purgeCommand } from "./commands/purge.ts";
import { urlCommand } from "./commands/url.ts";

const COMMANDS: readonly Command[] = [
  appCommand,
  devCommand,
  graphCommand,
  originCommand,
  purgeCommand,
  urlCommand,
];

function overview(): string {
  const lines = COMMANDS.map((command) => `  ${command.name.padEnd(8)} ${command.summary}`);
  return `Usage: imgflo-server <command> [options]\n\nCommands:\n${lines.join("\n")}\n\nRun "imgflo-server <command> --help" for a command's options.`;
}

/** Runs the CLI; resolves to the process exit code (0 ok, 1 failure, 2 usage error). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "help") {
    (name ? io.stdout : io.stderr)(`${overview()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    io.stderr(`Unknown command "${name}".\n\n${overview()}\n`);
    return 2;
  }
  try {
    // Only --help is looked for here: each command parses its own flags (--disabled, --remote).
    if (rest.includes("--help")) {
      io.stdout(`${command.usage}\n`);
      return 0;
    }
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n\n${command.usage}\n`);
      return 2;
    }
    io.stderr(`Error: ${(error as Error).message}\n`);
    return 1;
  }
}
