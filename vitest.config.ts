import { defineConfig } from "vitest/config";

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
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
