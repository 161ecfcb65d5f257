import type { Hono } from "hono";
import { infoInput, splitInfoUrl } from "../../shared/info-request.ts";
import { describeImage } from "../image-info.ts";
import { fetchInput } from "../input/fetch-input.ts";
import type { OriginEnv } from "../request-observer.ts";
import type { OriginServices } from "../services.ts";
import { requestInputContext } from "./input-context.ts";

/** `GET /info?input=`: what an input image is. */
export function infoRoutes(app: Hono<OriginEnv>, services: OriginServices): void {
  app.get("/info", async (c) => {
    const input = infoInput(splitInfoUrl(c.req.url));
    const bytes = await fetchInput(
      input,
      requestInputContext(app, c, services.config.maxInputBytes),
      services.fetcher,
    );
    return c.json(await describeImage(bytes, services.config.maxPixels));
  });
}
