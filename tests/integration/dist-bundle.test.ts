import { execFileSync, spawnSync } from "node:child_process";
import { builtinModules } from "node:module";
import { copyFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const repo = resolve(__dirname, "../..");

/**
 * The committed bundle must run with plain `node dist/cli.js` and no node_modules anywhere
 * near it: the plugin is used straight after install.
 */
describe("dist/cli.js is self-contained", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "gsd-async-dist-"));
    copyFileSync(join(repo, "dist/cli.js"), join(dir, "cli.js"));
    cpSync(join(repo, "examples/demo"), join(dir, "demo"), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("analyses the demo from a directory without node_modules", () => {
    const out = execFileSync(process.execPath, [join(dir, "cli.js"), "analyze", "2", "--cwd", join(dir, "demo"), "--json"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", NODE_PATH: "" },
      encoding: "utf8",
    });
    const j = JSON.parse(out);
    expect(j.phase.name).toBe("02-core-features");
    expect(j.plans.length).toBe(6);
  });

  it("exits 2 on an unknown flag and 3 outside a project", () => {
    const bad = spawnSync(process.execPath, [join(dir, "cli.js"), "analyze", "--nope"], { cwd: dir, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown option");
    const none = spawnSync(process.execPath, [join(dir, "cli.js"), "analyze"], { cwd: dir, encoding: "utf8" });
    expect(none.status).toBe(3);
  });
});

/**
 * Everything the package runs is bundled, so an `npm install -g` of it needs to download
 * nothing: package.json lists no runtime dependencies, and every file of dist/ (the CLI with the
 * bundle it embeds as a string, the hook, the library entry) loads only Node's own modules.
 */
describe("the package needs no dependencies at run time", () => {
  const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as Record<string, unknown>;

  it("package.json lists none: what the bundle is made from is a devDependency", () => {
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(Object.keys(pkg.devDependencies as object)).toEqual(expect.arrayContaining(["commander", "gray-matter", "zod"]));
  });

  it("every dist/ file requires only node built-ins", () => {
    const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
    const files = readdirSync(join(repo, "dist")).filter((f) => f.endsWith(".js"));
    expect(files).toEqual(expect.arrayContaining(["cli.js", "hook-pre-tool-use.js", "index.js"]));
    for (const f of files) {
      const text = readFileSync(join(repo, "dist", f), "utf8");
      // Plain or escaped inside the embedded source string: require("x"), require(\"x\"), require('x').
      const names = [...text.matchAll(/require\(\\?["'`]([^"'`\\]+)\\?["'`]\)/g)].map((m) => m[1] as string);
      expect(names.length).toBeGreaterThan(0);
      expect({ file: f, foreign: [...new Set(names.filter((n) => !builtins.has(n)))] }).toEqual({ file: f, foreign: [] });
    }
  });

  it("the library entry loads from a directory without node_modules", () => {
    const dir = mkdtempSync(join(tmpdir(), "gsd-async-lib-"));
    try {
      copyFileSync(join(repo, "dist/index.js"), join(dir, "index.js"));
      const out = execFileSync(process.execPath, ["-e", "process.stdout.write(typeof require('./index.js'))"], {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "", NODE_PATH: "" },
        encoding: "utf8",
      });
      expect(out).toBe("object");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
