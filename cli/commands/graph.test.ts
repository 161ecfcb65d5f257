import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { freePort } from "../../test/harness/origin.ts";
import { adminServer } from "../admin-client.ts";
import { main } from "../main.ts";

async function graph(argv: string[], env: Record<string, string> = {}) {
  let stdout = "";
  let stderr = "";
  const code = await main(["graph", ...argv], {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env,
  });
  return { code, stdout, stderr };
}

describe("imgflo-server graph: arguments", () => {
  it("refuses bad arguments with the usage, before asking any server", async () => {
    // No server listens on port 9: a request would fail with exit 1, not 2.
    const env = { IMGFLO_SERVER: "http://127.0.0.1:9/" };
    for (const [argv, problem] of [
      [[], "Missing the action"],
      [["promote"], 'Unknown action "promote"'],
      [["publish"], "Missing the graph file"],
      [["publish", "blur.png"], '"blur.png" is neither a .json nor a .fbp file'],
      [["publish", "graphs"], "is neither a .json nor a .fbp file"],
      [["publish", "my blur.json"], '"my blur" is not a graph name'],
      [["publish", "a.json", "--name", "../admin"], '"../admin" is not a graph name'],
      [["publish", "a.json", "b.json"], 'Unexpected argument "b.json"'],
      [["publish", "a.json", "--colour", "red"], 'Unknown option --colour for "graph publish"'],
      [["list", "--token", "t"], 'Unknown option --token for "graph list"'],
      [["list", "extra"], 'Unexpected argument "extra"'],
      [["history"], "Missing the graph name"],
      [["history", "blur", "--note", "n"], "Unknown option --note"],
      [["rollback", "blur"], "Missing the version"],
      [["rollback", "blur", "-1"], 'The version must be a whole number (got "-1")'],
      [["rollback", "blur", "1.5"], "must be a whole number"],
      [["remove", "a/b"], '"a/b" is not a graph name'],
      [["list", "--server", "ftp://example.com/"], 'The server "ftp://example.com/" is not'],
      [["list", "--server", "localhost:8787"], "is not an http(s) URL"],
    ] as const) {
      const result = await graph([...argv], env);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr).toContain(problem);
      expect(result.stderr).toContain("Usage: imgflo-server graph");
      expect(result.stdout).toBe("");
    }
  });

  it("prints its help", async () => {
    const help = await graph(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: imgflo-server graph <action>/);
    expect(help.stdout).toMatch(/IMGFLO_ADMIN_TOKEN/);
  });

  it("takes --server and --token over IMGFLO_SERVER and IMGFLO_ADMIN_TOKEN", () => {
    const env = { IMGFLO_SERVER: "https://img.example.com/base", IMGFLO_ADMIN_TOKEN: "from-env" };
    expect(adminServer({}, env)).toEqual({
      url: new URL("https://img.example.com/base/"),
      token: "from-env",
    });
    expect(adminServer({ server: "http://127.0.0.1:1/", token: "given" }, env)).toEqual({
      url: new URL("http://127.0.0.1:1/"),
      token: "given",
    });
    expect(adminServer({}, { IMGFLO_ADMIN_TOKEN: "" })).toEqual({
      url: new URL("http://localhost:8787/"),
      token: undefined,
    });
  });
});

describe("imgflo-server graph: failures to reach a server", () => {
  it("names the server when the connection is refused", async () => {
    const server = `http://127.0.0.1:${await freePort()}/`;
    const result = await graph(["history", "blur", "--server", server, "--token", "t"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `Error: Could not reach the server at ${server} (connection refused); give its address with --server or IMGFLO_SERVER.\n`,
    );
  });

  it("gives the status of an answer that is not the edge's JSON", async () => {
    const proxy = createServer((_request, response) => {
      response.writeHead(502, { "content-type": "text/html" }).end("<h1>Bad gateway</h1>");
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    try {
      const server = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/`;
      const result = await graph(["list", "--server", server]);
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(`Error: The server at ${server} answered 502 Bad Gateway.\n`);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
