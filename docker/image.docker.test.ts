import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FixtureServer, startFixtureServer } from "../test/harness/fixture-server.ts";
import { freePort, readImage } from "../test/harness/origin.ts";

// The origin image in a real Docker engine: `npm run test:docker` (scripts/test-docker.sh) starts
// the engine, builds the image and names it in IMGFLO_TEST_IMAGE. The container runs on the host
// network (the engine has no bridge), so it and the fixture server meet on loopback.
const IMAGE = process.env.IMGFLO_TEST_IMAGE ?? "";
const CONTAINER = `imgflo-test-${process.pid}`;
const HEALTHY_TIMEOUT_MS = 120_000;
/** What `docker stop` waits for before SIGKILL; exit code 0 proves the origin left by itself. */
const STOP_TIMEOUT_S = 10;

const run = promisify(execFile);
const docker = async (...args: string[]) => (await run("docker", args)).stdout.trim();

let fixtures: FixtureServer;
let origin: string;

async function inspect(format: string): Promise<string> {
  return docker("inspect", "--format", format, CONTAINER);
}

async function waitUntilHealthy(): Promise<void> {
  const deadline = Date.now() + HEALTHY_TIMEOUT_MS;
  for (;;) {
    const [running, health] = (await inspect("{{.State.Running}} {{.State.Health.Status}}")).split(
      " ",
    );
    if (health === "healthy") return;
    if (running !== "true" || health === "unhealthy" || Date.now() > deadline) {
      const logs = await run("docker", ["logs", CONTAINER]).catch(() => null);
      throw new Error(
        `the container did not become healthy (running ${running}, health ${health}):\n${logs?.stdout}${logs?.stderr}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

beforeAll(async () => {
  if (!IMAGE)
    throw new Error("IMGFLO_TEST_IMAGE is not set: run this test with npm run test:docker");
  fixtures = await startFixtureServer();
});

afterAll(async () => {
  await fixtures?.close();
});

describe("the origin image", () => {
  beforeAll(async () => {
    const port = await freePort();
    origin = `http://127.0.0.1:${port}/`;
    await docker(
      "run",
      "--detach",
      `--name=${CONTAINER}`,
      "--network=host",
      "--read-only",
      "--tmpfs=/tmp",
      // The image's HEALTHCHECK command, polled faster than its 30 s so the test need not wait.
      "--health-interval=1s",
      `--env=PORT=${port}`,
      "--env=HOST=127.0.0.1",
      "--env=RENDER_CONCURRENCY=2",
      "--env=ALLOW_PRIVATE_INPUTS=true",
      // The test counts input downloads.
      "--env=INPUT_CACHE_TTL_MS=0",
      IMAGE,
    );
    await waitUntilHealthy();
  });

  afterAll(async () => {
    await run("docker", ["rm", "--force", "--volumes", CONTAINER]).catch(() => undefined);
  });

  it("runs as a non-root user on a read-only root filesystem", async () => {
    const status = await docker("exec", CONTAINER, "cat", "/proc/1/status");
    const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    expect(uid).toBeDefined();
    expect(uid).not.toBe("0");
    expect(await inspect("{{.HostConfig.ReadonlyRootfs}}")).toBe("true");
    await expect(docker("exec", CONTAINER, "touch", "/app/written")).rejects.toThrow(
      /Read-only file system/,
    );
  });

  it("renders every graph in the catalogue", async () => {
    const { graphs } = (await (await fetch(new URL("graphs", origin))).json()) as {
      graphs: Record<string, { inports: Record<string, { metadata: { type?: string } }> }>;
    };
    const names = Object.keys(graphs);
    expect(names.length).toBeGreaterThan(10);
    const input = encodeURIComponent(fixtures.at("images/gridbear.jpg"));
    const rendered = await Promise.all(
      names.map(async (name) => {
        const inports = graphs[name]?.inports ?? {};
        // Image inports (watermark's overlay) take the same image.
        const images = Object.entries(inports)
          .filter(([port, { metadata }]) => port === "input" || metadata.type === "image")
          .map(([port]) => `${port}=${input}`);
        const query = "input" in inports ? images.join("&") : "width=64";
        const image = await readImage(fetch(new URL(`graph/${name}.png?${query}`, origin)));
        return { name, format: image.format, empty: image.width * image.height === 0 };
      }),
    );
    expect(rendered).toEqual(names.map((name) => ({ name, format: "png", empty: false })));
  });

  it("serves the testing UI", async () => {
    const page = await fetch(origin);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module">');
  });

  it(
    "stops on SIGTERM within 10 s, after finishing the render in flight",
    async () => {
      const requested = fixtures.hits("/images/gridbear.jpg");
      const slowInput = encodeURIComponent(fixtures.at("images/gridbear.jpg?delay=1500"));
      const inFlight = readImage(fetch(new URL(`graph/desaturate.png?input=${slowInput}`, origin)));
      // In flight once the origin has asked for its input (answered 1.5 s later).
      await fixtures.hitsReach("/images/gridbear.jpg", requested + 1);
      await docker("stop", `--time=${STOP_TIMEOUT_S}`, CONTAINER);
      expect(await inFlight).toMatchObject({ status: 200, format: "png" });
      expect(await inspect("{{.State.ExitCode}}")).toBe("0");
      const logs = await run("docker", ["logs", CONTAINER]);
      expect(logs.stderr).toContain("SIGTERM: finishing the renders in flight");
    },
    STOP_TIMEOUT_S * 1000 + 30_000,
  );
});

describe("docker/compose.yaml", () => {
  const project = `imgflo-test-${process.pid}`;
  const env: Record<string, string> = {
    ...process.env,
    ORIGIN_IMAGE: IMAGE,
    RENDER_CONCURRENCY: "1",
    ALLOW_PRIVATE_INPUTS: "true",
  };
  let composeCommand: string[];
  const compose = (...args: string[]) => {
    const [command = "", ...rest] = composeCommand;
    return run(
      command,
      [...rest, "--file", "docker/compose.yaml", "--project-name", project, ...args],
      {
        env,
      },
    );
  };
  const origins: string[] = [];

  beforeAll(async () => {
    // The v2 plugin when the engine has it, else Debian's docker-compose (v1).
    composeCommand = await run("docker", ["compose", "version"]).then(
      () => ["docker", "compose"],
      () => ["docker-compose"],
    );
    for (const replica of [1, 2, 3]) {
      const port = await freePort();
      env[`ORIGIN_${replica}_PORT`] = String(port);
      origins.push(`http://127.0.0.1:${port}/`);
    }
  });

  afterAll(async () => {
    await compose("down", "--volumes", "--timeout", "20").catch(() => undefined);
  });

  it("is a valid compose file", async () => {
    await compose("config", "--quiet");
  });

  it("runs three origin replicas on distinct ports, each rendering", async () => {
    await compose("up", "--detach", "--no-build");
    const input = encodeURIComponent(fixtures.at("images/gridbear.jpg"));
    for (const url of origins) {
      const deadline = Date.now() + HEALTHY_TIMEOUT_MS;
      while (
        !(await fetch(new URL("healthz", url)).then(
          (r) => r.ok,
          () => false,
        ))
      ) {
        if (Date.now() > deadline) throw new Error(`${url} did not answer /healthz`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const rendered = await Promise.all(
      origins.map((url) => readImage(fetch(new URL(`graph/gaussianblur.png?input=${input}`, url)))),
    );
    for (const image of rendered) expect(image).toMatchObject({ status: 200, format: "png" });
  });
});
