import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** What a C test program is built from. */
export interface CProgram {
  /** Directory the binary goes to. */
  dir: string;
  name: string;
  /** Paths of the C sources, the program's first. */
  sources: string[];
  /** pkg-config packages whose headers (as system headers) and libraries it uses. */
  packages: string[];
  /** Compiler flags past the project's (-O2 -std=gnu11 with warnings as errors). */
  flags?: string[];
}

/** Builds a C test program, as scripts/build-native.sh builds the worker and the ops; its path. */
export function buildCProgram({ dir, name, sources, packages, flags = [] }: CProgram): string {
  const binary = join(dir, name);
  const pkgConfig = (what: string) =>
    execFileSync("pkg-config", [what, ...packages], { encoding: "utf8" })
      .trim()
      .split(/\s+/);
  execFileSync("gcc", [
    ...["-O2", "-std=gnu11", "-Wall", "-Wextra", "-Werror", ...flags],
    ...pkgConfig("--cflags").map((flag) => flag.replace(/^-I/, "-isystem")),
    ...["-o", binary, ...sources],
    ...pkgConfig("--libs"),
    "-lm",
  ]);
  return binary;
}
