import { DEFAULT_MAX_CONCURRENT, defaultSettings, parseConfig } from "../../lib/core/plan/config";

const FILE = ".planning/config.json";
const parse = (value: unknown) => parseConfig(JSON.stringify(value), FILE);

describe("parseConfig", () => {
  it("uses defaults for an empty object", () => {
    const { settings, diagnostics } = parse({});
    expect(settings).toEqual({
      mode: "interactive",
      maxConcurrent: DEFAULT_MAX_CONCURRENT,
      skipCheckpoints: true,
      parallel: true,
      isolation: "shared",
      exclusive: {},
      stall: { minutes: 20, restart: false, maxRestarts: 2 },
      engine: "agents",
      raw: {},
    });
    expect(settings).toEqual(defaultSettings());
    expect(DEFAULT_MAX_CONCURRENT).toBe(3);
    expect(diagnostics).toEqual([]);
  });

  it("reads parallelization.engine; anything else is a diagnostic and the default", () => {
    expect(parse({ parallelization: { engine: "workflow" } }).settings.engine).toBe("workflow");
    expect(parse({ parallelization: { engine: "agents" } }).settings.engine).toBe("agents");
    const bad = parse({ parallelization: { engine: "swarm", max_concurrent_agents: 5 } });
    expect(bad.settings).toMatchObject({ engine: "agents", maxConcurrent: 5 });
    expect(bad.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("parallelization.engine")]);
  });

  it("reads mode", () => {
    expect(parse({ mode: "yolo" }).settings.mode).toBe("yolo");
    expect(parse({ mode: "interactive" }).settings.mode).toBe("interactive");
  });

  it("accepts `parallelization` as a plain boolean", () => {
    expect(parse({ parallelization: true }).settings).toMatchObject({ parallel: true, maxConcurrent: 3 });
    expect(parse({ parallelization: false }).settings).toMatchObject({ parallel: false, maxConcurrent: 3 });
    expect(parse({ parallelization: false }).diagnostics).toEqual([]);
  });

  it("reads upstream's parallelization object", () => {
    const { settings } = parse({ parallelization: { enabled: false, max_concurrent_agents: 5, skip_checkpoints: false, plan_level: true } });
    expect(settings).toMatchObject({ parallel: false, maxConcurrent: 5, skipCheckpoints: false });
  });

  it("reads this tool's async.max_concurrent", () => {
    expect(parse({ async: { max_concurrent: 6 } }).settings.maxConcurrent).toBe(6);
  });

  it("lets async.max_concurrent win over parallelization.max_concurrent_agents, with an info note", () => {
    const { settings, diagnostics } = parse({ async: { max_concurrent: 2 }, parallelization: { max_concurrent_agents: 8 } });
    expect(settings.maxConcurrent).toBe(2);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: "info", code: "config-invalid", file: FILE })]);
  });

  it("says nothing when both agree", () => {
    expect(parse({ async: { max_concurrent: 4 }, parallelization: { max_concurrent_agents: 4 } }).diagnostics).toEqual([]);
  });

  it("keeps unknown keys, top-level and nested, in raw", () => {
    const file = {
      mode: "yolo",
      model_profile: "balanced",
      workflow: { research: true },
      parallelization: { enabled: true, extra: 1 },
      async: { max_concurrent: 2, note: "x" },
    };
    const { settings, diagnostics } = parse(file);
    expect(settings.raw).toEqual(file);
    expect(diagnostics).toEqual([]);
  });

  it("reports invalid JSON as an error and uses defaults", () => {
    const { settings, diagnostics } = parseConfig('{ "mode": "yolo", }', FILE);
    expect(settings).toEqual(defaultSettings());
    expect(diagnostics).toEqual([expect.objectContaining({ severity: "error", code: "config-invalid", file: FILE })]);
    expect(diagnostics[0]?.message).toMatch(/not valid JSON/);
  });

  it("reports a value of the wrong type or out of range, naming its key", () => {
    for (const bad of [
      { mode: "fast" },
      { async: { max_concurrent: 0 } },
      { async: { max_concurrent: 1.5 } },
      { async: { max_concurrent: 100 } },
      { parallelization: "yes" },
    ]) {
      const { diagnostics } = parse(bad);
      expect(diagnostics.length).toBeGreaterThan(0);
      expect(diagnostics.every((d) => d.severity === "error" && d.code === "config-invalid" && d.file === FILE)).toBe(true);
      expect(diagnostics[0]?.message).toContain(Object.keys(bad)[0] as string);
    }
  });

  it("uses defaults for a bad value only: the valid settings and unknown keys survive", () => {
    const file = { mode: "yolo", async: { max_concurrent: 100 }, parallelization: { max_concurrent_agents: 4 }, workflow: { research: true } };
    const { settings, diagnostics } = parse(file);
    expect(diagnostics.map((d) => d.code)).toEqual(["config-invalid"]);
    expect(settings.mode).toBe("yolo");
    expect(settings.maxConcurrent).toBe(4);
    expect(settings.raw).toEqual(file);
  });

  it("uses defaults when the file is not an object", () => {
    for (const text of ["[]", "3", "null", '"yolo"']) {
      const { settings, diagnostics } = parseConfig(text, FILE);
      expect(settings).toEqual(defaultSettings());
      expect(diagnostics.length).toBeGreaterThan(0);
    }
  });

  it("reads parallelization.isolation and parallelization.exclusive", () => {
    const { settings, diagnostics } = parse({ parallelization: { isolation: "worktree", exclusive: { tests: "npm test", "db.migrate": "npm run migrate" } } });
    expect(settings.isolation).toBe("worktree");
    expect(settings.exclusive).toEqual({ tests: "npm test", "db.migrate": "npm run migrate" });
    expect(diagnostics).toEqual([]);
  });

  it("refuses an unknown isolation and a bad exclusive name, keeping the other settings", () => {
    const { settings, diagnostics } = parse({ parallelization: { isolation: "sandbox", max_concurrent_agents: 5 } });
    expect(settings).toMatchObject({ isolation: "shared", maxConcurrent: 5 });
    expect(diagnostics).toEqual([expect.objectContaining({ code: "config-invalid", message: expect.stringContaining("parallelization.isolation") })]);
    const bad = parse({ parallelization: { exclusive: { "../x": "rm -rf /", tests: "npm test", build: 3 } } });
    expect(bad.settings.exclusive).toEqual({ tests: "npm test" });
    expect(bad.diagnostics.map((d) => d.message)).toEqual([
      expect.stringContaining("parallelization.exclusive.../x"),
      expect.stringContaining("parallelization.exclusive.build"),
    ]);
    expect(parse({ parallelization: { exclusive: ["npm test"] } }).diagnostics).toEqual([
      expect.objectContaining({ message: expect.stringContaining("parallelization.exclusive: must be an object") }),
    ]);
  });
});
