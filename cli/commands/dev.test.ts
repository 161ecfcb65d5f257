import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProcessingUrl } from "../../shared/signed-url.ts";
import { connectFbp } from "../../test/harness/fbp-client.ts";
import { main } from "../main.ts";
import { PROJECT_ROOT } from "../wrangler.ts";

// The newcomer's path: `npm start` (imgflo-server dev), `app add`, a signed URL, a cache hit,
// Ctrl-C. Its own state folder keeps the developer's local database out of it.
let stateDir: string;
let stack: ChildProcess;
let output = "";
let edgeUrl: string;
let originUrl: string;

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function untilOutput(text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!output.includes(text)) {
    if (stack.exitCode !== null) throw new Error(`imgflo-server dev exited:\n${output}`);
    if (Date.now() > deadline) throw new Error(`no "${text}" within ${timeoutMs} ms:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  stateDir = await mkdtemp(join(tmpdir(), "imgflo-dev-"));
  const [originPort, edgePort, runtimePort] = [
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  edgeUrl = `http://127.0.0.1:${edgePort}`;
  originUrl = `http://127.0.0.1:${originPort}`;
  stack = spawn(process.execPath, ["bin/imgflo-server.js", "dev", "--persist-to", stateDir], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      PORT: String(originPort),
      EDGE_PORT: String(edgePort),
      RUNTIME_PORT: String(runtimePort),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  stack.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  stack.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  await untilOutput("imgflo-server is running", 110_000);
});

afterAll(async () => {
  if (stack.exitCode === null) {
    stack.kill("SIGINT");
    await once(stack, "exit");
  }
  await rm(stateDir, { recursive: true, force: true });
});

/** The processes whose command line holds `text`, read from /proc. */
async function commandLinesWith(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir("/proc")).filter((entry) => /^\d+$/.test(entry))) {
    const line = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (line.includes(text)) found.push(line.replaceAll("\0", " "));
  }
  return found;
}

async function addApplication(): Promise<{ key: string; secret: string }> {
  let stdout = "";
  const io = {
    stdout: (text: string) => {
      stdout += text;
    },
    stderr: () => {},
    env: {},
  };
  expect(await main(["app", "add", "--name", "demo", "--persist-to", stateDir], io)).toBe(0);
  return JSON.parse(stdout) as { key: string; secret: string };
}

describe("imgflo-server dev (npm start)", () => {
  it("prints the URL to open", () => {
    expect(output).toContain(`open http://localhost:${new URL(edgeUrl).port}/`);
  });

  it("prints the editor's URL with the runtime's address and secret, which the runtime accepts", async () => {
    const editor = new URL(/editor (\S+)/.exec(output)?.[1] ?? "");
    expect((await fetch(new URL(editor.pathname, edgeUrl))).status).toBe(200);
    const hash = new URLSearchParams(editor.hash.slice(1));
    const client = await connectFbp(hash.get("runtime") ?? "", hash.get("secret"));
    try {
      client.send("runtime", "getruntime");
      expect((await client.next("runtime", "runtime")).payload).toMatchObject({ type: "imgflo" });
    } finally {
      await client.close();
    }
  });

  it("generates an admin token for the edge, prints it and puts it in the editor's URL, never on a command line", async () => {
    const token = /admin {2}token ([0-9a-f]+) /.exec(output)?.[1] ?? "";
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    const editor = new URL(/editor (\S+)/.exec(output)?.[1] ?? "");
    expect(new URLSearchParams(editor.hash.slice(1)).get("token")).toBe(token);
    const versions = (bearer: string) =>
      fetch(`${edgeUrl}/admin/graphs/gradientmap/versions`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
    expect((await versions(token)).status).toBe(200);
    expect((await versions(`${token}0`)).status).toBe(403);
    const secrets = join(stateDir, "dev-secrets.env");
    expect((await stat(secrets)).mode & 0o777).toBe(0o600);
    expect(await readFile(secrets, "utf8")).toContain(`ADMIN_TOKEN=${token}\n`);
    expect(await commandLinesWith(token)).toEqual([]);
  });

  it("serves a URL signed for a new application, then the same URL from the cache", async () => {
    const { key, secret } = await addApplication();
    const url = buildProcessingUrl({ server: `${edgeUrl}/`, key, secret }, "gradientmap", {
      input: "files/gridbear.jpg",
      color1: "#0A2A2F",
      width: 120,
    });
    const first = await fetch(url, { redirect: "manual" });
    expect(first.status).toBe(301);
    const location = new URL(first.headers.get("location") ?? "", edgeUrl);
    const image = await fetch(location);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/jpeg");
    expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(1000);

    const rendersBefore = await fetch(`${originUrl}/healthz`).then((r) => r.json());
    const again = await fetch(url, { redirect: "manual" });
    expect(again.status).toBe(301);
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(await fetch(`${originUrl}/healthz`).then((r) => r.json())).toEqual(rendersBefore);
  });

  it("keeps the edge up while the origin is down, and restarts the origin with backoff", async () => {
    const unsigned = (color: string) =>
      `${edgeUrl}/graph/canvas.png?width=16&color=${encodeURIComponent(color)}`;
    const cached = unsigned("#102030");
    expect((await fetch(cached, { redirect: "manual" })).status).toBe(301);

    const pid = Number(/origin \S+ {2}\(pid (\d+)/.exec(output)?.[1]);
    process.kill(pid, "SIGKILL");
    // The origin's port taken at once by a server that drops every connection: the restart
    // fails (so the next waits twice as long) and the edge finds no origin meanwhile.
    let squatter: Server | undefined;
    for (let attempt = 0; !squatter?.listening; attempt++) {
      if (attempt === 200) throw new Error(`origin port never freed:\n${output}`);
      squatter = createServer((socket) => socket.destroy());
      squatter.listen(Number(new URL(originUrl).port), "127.0.0.1");
      await new Promise((resolve) => {
        squatter?.once("listening", resolve).once("error", resolve);
      });
      if (!squatter.listening) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    try {
      expect((await fetch(cached, { redirect: "manual" })).status).toBe(301);
      const uncached = await fetch(unsigned("#302010"), { redirect: "manual" });
      expect(uncached.status).toBe(502);
      expect(await uncached.json()).toMatchObject({ code: "origin-failed" });
      await untilOutput("restarting it in 1 s", 10_000);
      await untilOutput("restarting it in 2 s", 30_000);
    } finally {
      squatter?.close();
    }
    await untilOutput("The origin is up again", 90_000);
    expect((await fetch(unsigned("#302010"), { redirect: "manual" })).status).toBe(301);
  }, 150_000);

  it("stops the edge and the origin on Ctrl-C and exits 0", async () => {
    stack.kill("SIGINT");
    const [code] = (await once(stack, "exit")) as [number | null];
    expect(code).toBe(0);
    for (const url of [edgeUrl, originUrl]) {
      await expect(
        fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) }),
      ).rejects.toThrow();
    }
  });
});
