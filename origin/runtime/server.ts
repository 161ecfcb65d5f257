import { once } from "node:events";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import { type WebSocket, WebSocketServer } from "ws";
import { type Catalogue, MAX_DIMENSION } from "../../shared/catalogue.ts";
import { errorResponse, errors, isImgfloError } from "../../shared/errors.ts";
import type { OriginConfig } from "../config.ts";
import type { InputContext } from "../input/fetch-input.ts";
import { type RenderServices, render } from "../pipeline.ts";
import type { OperationDescriptions } from "../worker/operation-description.ts";
import { ComponentLibrary } from "./components.ts";
import { previewJob } from "./preview-job.ts";
import { Runtime } from "./runtime.ts";

export interface RuntimeServerOptions {
  config: OriginConfig;
  services: RenderServices;
  catalogue: Catalogue;
  /** Every operation of the workers' GEGL, described once at start-up. */
  operations: OperationDescriptions;
  /** How preview renders read their inputs (the origin's own rules). */
  inputs: InputContext;
  log: (line: string) => void;
}

export interface RunningRuntime {
  /** The WebSocket address clients connect to. */
  url: string;
  close(): Promise<void>;
}

/** A preview fits this box unless `width`/`height` ask otherwise. */
export const PREVIEW_SIZE = 512;
// One protocol message: large enough for any graph within the limits.
const MAX_MESSAGE_BYTES = 1024 * 1024;
// Editors and Flowhub tabs at once; each costs a socket and the broadcasts.
const MAX_CLIENTS = 32;
const CLOSE_TRY_AGAIN_LATER = 1013;

function dimension(text: string | undefined, name: string): number | null {
  if (text === undefined || text === "") return null;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1 || value > MAX_DIMENSION) {
    throw errors.invalidParameter(name, `must be an integer from 1 to ${MAX_DIMENSION}`);
  }
  return value;
}

/** `GET /process?graph=&node=[&width=&height=]`: the picture at one node of a live graph, as PNG. */
function previewApp(runtime: Runtime, library: ComponentLibrary, options: RuntimeServerOptions) {
  const app = new Hono();
  // Editors on other origins read the JSON errors of failed previews.
  const failure = (error: unknown) => {
    const response = errorResponse(error);
    response.headers.set("access-control-allow-origin", "*");
    return response;
  };
  app.onError((error) => {
    if (!isImgfloError(error) || error.status >= 500) options.log(`runtime: ${error.stack}`);
    return failure(error);
  });
  app.notFound((c) => failure(errors.notFound(`The path ${new URL(c.req.url).pathname}`)));
  app.get("/process", async (c) => {
    const graphId = c.req.query("graph") ?? "";
    const live = runtime.graphs.get(graphId);
    if (!live) throw errors.notFound(`The graph "${graphId}"`);
    const width = dimension(c.req.query("width"), "width");
    const height = dimension(c.req.query("height"), "height");
    const size = {
      width: width ?? (height === null ? PREVIEW_SIZE : MAX_DIMENSION),
      height: height ?? (width === null ? PREVIEW_SIZE : MAX_DIMENSION),
    };
    const { request, compiled } = previewJob(live, c.req.query("node") ?? "", size, library);
    const image = await render(request, compiled, options.inputs, options.services);
    return new Response(image.bytes as Uint8Array<ArrayBuffer>, {
      headers: {
        "content-type": "image/png",
        "content-length": String(image.bytes.length),
        "cache-control": "no-store",
        "access-control-allow-origin": "*",
      },
    });
  });
  return app;
}

function send(socket: WebSocket, message: object): void {
  if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
}

/**
 * The FBP protocol runtime on its own port: WebSocket for the protocol, HTTP for the previews
 * it announces. Only started when RUNTIME_PORT is set (config.ts refuses it without a secret).
 */
export async function startRuntimeServer(options: RuntimeServerOptions): Promise<RunningRuntime> {
  const { config, log } = options;
  const library = ComponentLibrary.from(options.operations, options.catalogue);
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  const clients = new Set<WebSocket>();
  let app: Hono | null = null;
  const server = createAdaptorServer({
    fetch: (request: Request) => (app as Hono).fetch(request),
  }) as Server;
  server.listen(config.runtimePort as number, config.host);
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const runtime = new Runtime({
    library,
    secret: config.runtimeSecret as string,
    saveDir: config.runtimeSaveDir,
    previewBase: config.runtimePublicUrl ?? `http://${host}:${port}/`,
    broadcast: (protocol, command, payload) => {
      for (const client of clients) send(client, { protocol, command, payload });
    },
    log,
  });
  app = previewApp(runtime, library, options);
  const sockets = new WebSocketServer({ server, maxPayload: MAX_MESSAGE_BYTES });
  sockets.on("connection", (socket) => {
    if (clients.size >= MAX_CLIENTS) {
      socket.close(CLOSE_TRY_AGAIN_LATER, "Too many clients");
      return;
    }
    clients.add(socket);
    socket.on("close", () => clients.delete(socket));
    // An oversized or malformed frame: ws closes that connection; the runtime carries on.
    socket.on("error", (error) => log(`runtime: a client connection failed: ${error.message}`));
    socket.on("message", (data) => {
      void runtime.handle(data.toString(), (message) => send(socket, message));
    });
  });
  return {
    url: `ws://${host}:${port}/`,
    async close() {
      runtime.close();
      for (const client of clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
