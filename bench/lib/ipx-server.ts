/**
 * The benchmark's sharp-based image server: ipx serving the fixture folder (and the folders
 * named on its command line) on a free loopback port, in its own process (as the origin is).
 * Prints `listening on <url>` when ready.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createIPX, createIPXNodeServer, ipxFSStorage } from "ipx";
import { FIXTURE_IMAGES_DIR } from "../../test/harness/fixture-server.ts";

const ipx = createIPX({
  storage: ipxFSStorage({ dir: [FIXTURE_IMAGES_DIR, ...process.argv.slice(2)] }),
});
const server = createServer(createIPXNodeServer(ipx));
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as AddressInfo;
  console.log(`listening on http://127.0.0.1:${port}`);
});
process.once("SIGTERM", () => server.close(() => process.exit(0)));
