import { defineConfig } from "vitest/config";

/** `npm run test:docker` only (scripts/test-docker.sh): the tests that need a Docker engine. */
export default defineConfig({
  test: {
    include: ["docker/**/*.docker.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
  },
});
