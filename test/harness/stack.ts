import type { NewApplication } from "../../cli/commands/app.ts";
import {
  type ApplicationSeed,
  freshDatabase,
  type RunningEdge,
  seedApplications,
  startEdge,
} from "./edge.ts";
import { type FixtureServer, startFixtureServer } from "./fixture-server.ts";
import { type OriginProcess, startOrigin } from "./origin.ts";

/** The whole system on loopback: a fixture image server, a real origin, the Worker in workerd. */
export interface RunningStack {
  fixtures: FixtureServer;
  origin: OriginProcess;
  edge: RunningEdge;
  /** The applications seeded before the Worker started, in the order given. */
  applications: NewApplication[];
  stop(): Promise<void>;
}

export async function startStack(
  originSecret: string,
  applications: readonly ApplicationSeed[] = [],
): Promise<RunningStack> {
  const fixtures = await startFixtureServer();
  const [origin, persistDir] = await Promise.all([
    startOrigin({ ORIGIN_SECRET: originSecret, ALLOW_PRIVATE_INPUTS: "1" }),
    freshDatabase(),
  ]);
  const seeded = applications.length > 0 ? await seedApplications(persistDir, applications) : [];
  const edge = await startEdge({ originUrls: [origin.url], originSecret, persistDir });
  return {
    fixtures,
    origin,
    edge,
    applications: seeded,
    async stop() {
      await edge.stop();
      await origin.stop();
      await fixtures.close();
    },
  };
}
