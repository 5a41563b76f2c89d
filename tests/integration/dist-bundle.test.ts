import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdtempSync, rmSync } from "node:fs";
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
