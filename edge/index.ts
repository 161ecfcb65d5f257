import { app } from "./app.ts";
import type { OriginJob } from "./origin-types.ts";
import { consumePrewarmBatch } from "./prewarm-queue.ts";

export { RenderContainer } from "./render-container.ts";

export default {
  fetch: app.fetch,
  queue: consumePrewarmBatch,
} satisfies ExportedHandler<Env, OriginJob>;
