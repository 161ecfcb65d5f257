/** What `bench:origin` measures against, started for the run: ipx, and whether `gegl` is there. */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";

/** Starts ipx (bench/lib/ipx-server.ts) in its own process, serving the files of `dirs`. */
export async function startIpx(
  dirs: string[],
): Promise<{ url: string; pid: number; stop: () => void }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", new URL("../lib/ipx-server.ts", import.meta.url).pathname, ...dirs],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const match = /listening on (\S+)/.exec(text);
      if (match) resolve(`${match[1]}/`);
    });
    child.once("exit", (code) => reject(new Error(`ipx exited with ${code}: ${text}`)));
  });
  return { url, pid: child.pid ?? 0, stop: () => child.kill() };
}

/** The `gegl` command-line tool of baseline (a) is installed. */
export function hasGeglCli(): boolean {
  try {
    execFileSync("gegl", ["--exists", "gegl:gaussian-blur"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
