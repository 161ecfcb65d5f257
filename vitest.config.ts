import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "shared/**/*.test.ts",
      "cli/**/*.test.ts",
      "origin/**/*.test.ts",
      "edge/**/*.test.ts",
      "test/**/*.test.ts",
      "ui/**/*.test.ts",
      "docker/**/*.test.ts",
    ],
    // They need a Docker engine: npm run test:docker runs them (docker/vitest.config.ts).
    exclude: [...configDefaults.exclude, "docker/**/*.docker.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
