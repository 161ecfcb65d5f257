import { describe, expect, it } from "vitest";
import { readConfig } from "./config.ts";

const env = (vars: Partial<Record<keyof Env, string>>): Env =>
  ({
    ORIGIN_URLS: "https://origin.example.com",
    ALLOW_UNSIGNED: "false",
    R2_PUBLIC_URL: "",
    FAILURE_TTL_S: "600",
    ORIGIN_TIMEOUT_S: "60",
    ORIGIN_SECRET: "shh",
    ADMIN_TOKEN: "admin",
    FLEET_INSTANCES: "4",
    PUBLIC_URL: "https://img.example.com",
    ...vars,
  }) as unknown as Env;

describe("readConfig", () => {
  it("reads the committed production values", () => {
    expect(readConfig(env({}))).toEqual({
      originUrls: ["https://origin.example.com"],
      fleet: null,
      originSecret: "shh",
      adminToken: "admin",
      publicUrl: "https://img.example.com",
      allowUnsigned: false,
      r2PublicUrl: null,
      failureTtlMs: 600_000,
      originTimeoutMs: 60_000,
    });
  });

  it("splits and trims origin URLs and the public bucket URL", () => {
    const config = readConfig(
      env({
        ORIGIN_URLS: " http://10.0.0.1:8080/, http://10.0.0.2:8080 ,",
        R2_PUBLIC_URL: "https://img.example.com/",
      }),
    );
    expect(config.originUrls).toEqual(["http://10.0.0.1:8080", "http://10.0.0.2:8080"]);
    expect(config.r2PublicUrl).toBe("https://img.example.com");
  });

  it("sends misses to the fleet only with its binding and at least one instance", () => {
    const namespace = {} as Env["RENDER_FLEET"];
    const withFleet = (vars: Partial<Record<keyof Env, string>>) =>
      readConfig({ ...env(vars), RENDER_FLEET: namespace });
    expect(withFleet({}).fleet).toEqual({ namespace, instances: 4 });
    expect(withFleet({ FLEET_INSTANCES: "0" }).fleet).toBeNull();
    expect(readConfig(env({})).fleet).toBeNull();
  });

  it("takes the yes/no words the origin and the URLs take (shared/boolean-words.ts)", () => {
    expect(readConfig(env({ ALLOW_UNSIGNED: "TRUE" })).allowUnsigned).toBe(true);
    expect(readConfig(env({ ALLOW_UNSIGNED: "1" })).allowUnsigned).toBe(true);
    expect(readConfig(env({ ALLOW_UNSIGNED: "off" })).allowUnsigned).toBe(false);
    expect(readConfig(env({ ALLOW_UNSIGNED: "" })).allowUnsigned).toBe(false);
    expect(() => readConfig(env({ ALLOW_UNSIGNED: "maybe" }))).toThrow(/ALLOW_UNSIGNED/);
  });

  it("refuses values it cannot use", () => {
    expect(() => readConfig(env({ ORIGIN_URLS: "origin.example.com" }))).toThrow(/ORIGIN_URLS/);
    expect(() => readConfig(env({ PUBLIC_URL: "" }))).toThrow(/PUBLIC_URL/);
    expect(() => readConfig(env({ FAILURE_TTL_S: "-1" }))).toThrow(/FAILURE_TTL_S/);
    expect(() => readConfig(env({ ORIGIN_TIMEOUT_S: "soon" }))).toThrow(/ORIGIN_TIMEOUT_S/);
    expect(() => readConfig(env({ FLEET_INSTANCES: "2.5" }))).toThrow(/FLEET_INSTANCES/);
    expect(() => readConfig(env({ R2_PUBLIC_URL: "bucket" }))).toThrow(/R2_PUBLIC_URL/);
  });
});
