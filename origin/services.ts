import type { Catalogue } from "../shared/catalogue.ts";
import type { CompiledGraphs } from "./compile/compiled-graphs.ts";
import type { Logger } from "./log.ts";
import type { OriginMetrics } from "./metrics.ts";
import type { RenderServices } from "./pipeline.ts";
import type { GeglVersions } from "./worker/gegl-pool.ts";

/** What the origin's routes work with: the render services, its own catalogue, compiled graphs, logs and metrics. */
export interface OriginServices extends RenderServices {
  /** This origin's own graph files, served to requests that send no graph. */
  catalogue: Catalogue;
  graphs: CompiledGraphs;
  versions: GeglVersions;
  logger: Logger;
  metrics: OriginMetrics;
}
