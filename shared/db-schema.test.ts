import { execFile } from "node:child_process";
import { cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../", import.meta.url).pathname;

// The schema is the one description of the tables: migrations/ must be what drizzle-kit makes of it.
describe("the D1 schema", () => {
  it("has every change in a migration (drizzle-kit generate finds nothing to add)", async () => {
    const out = await mkdtemp(join(tmpdir(), "imgflo-migrations-"));
    try {
      await cp(join(ROOT, "migrations"), out, { recursive: true });
      const { stdout, stderr } = await promisify(execFile)(
        join(ROOT, "node_modules/.bin/drizzle-kit"),
        // drizzle-kit reads --out as relative to the working directory.
        [
          "generate",
          "--dialect",
          "sqlite",
          "--schema",
          "shared/db-schema.ts",
          "--out",
          relative(ROOT, out),
        ],
        { cwd: ROOT },
      );
      expect(stderr).toBe("");
      expect(stdout).toMatch(/No schema changes/);
      expect(await readdir(out)).toEqual(await readdir(join(ROOT, "migrations")));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
