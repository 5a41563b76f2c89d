import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/**
 * dist/cli.js compiles itself through a V8 code cache under $XDG_CACHE_HOME/gsd-async. V8 checks
 * cached data only against the source's length, so a forged file of the right name would run as
 * the helper. The loader must use only a cache it made: in a directory it owns with mode 0700, a
 * file it owns with no group or other bits, starting with the SHA-256 of its bundle.
 */
const repo = resolve(__dirname, "../..");
const cli = join(repo, "dist", "cli.js");
const MARK = "FORGED-CODE-RAN";

/** The bundle the loader embeds (its `const SOURCE = "...";` line). */
function embeddedSource(): string {
  const line = readFileSync(cli, "utf8")
    .split("\n")
    .find((l) => l.startsWith("const SOURCE = "))!;
  return JSON.parse(line.slice("const SOURCE = ".length, -1)) as string;
}

const env = (cache: string) => ({ PATH: process.env.PATH ?? "", HOME: cache, XDG_CACHE_HOME: cache, NO_COLOR: "1" });
const helper = (cache: string) => spawnSync(process.execPath, [cli, "--version"], { env: env(cache), encoding: "utf8" });

/**
 * Code-cache data for a script of the same length as the loader's wrapper that prints MARK:
 * made by a plain `node` (same version and flags as the helper's), as an attacker would.
 */
function forgedCacheData(): Buffer {
  const wrapper = "(function (exports, require, module, __filename, __dirname) {" + embeddedSource() + "\n})";
  const code = `
    const vm = require("node:vm");
    const evil = '(process.stdout.write("${MARK}\\\\n"), function () {})';
    const forged = evil + "/*" + " ".repeat(${wrapper.length} - evil.length - 4) + "*/";
    process.stdout.write(new vm.Script(forged).createCachedData().toString("base64"));
  `;
  return Buffer.from(execFileSync(process.execPath, ["-e", code], { env: { PATH: process.env.PATH ?? "" }, encoding: "utf8" }), "base64");
}

describe("the helper's code cache", () => {
  let cache: string;
  let dir: string;
  let file: string;
  let header: Buffer;
  let forged: Buffer;
  beforeAll(() => {
    header = createHash("sha256").update(embeddedSource()).digest();
    forged = forgedCacheData();
  });
  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), "gsd-async-cache-"));
    dir = join(cache, "gsd-async");
    const first = helper(cache);
    expect(first.status).toBe(0);
    const made = readdirSync(dir);
    expect(made).toHaveLength(1);
    file = join(dir, made[0]!);
  });
  afterEach(() => rmSync(cache, { recursive: true, force: true }));

  const expectNotRun = (r: ReturnType<typeof helper>) => {
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain(MARK);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  };

  it("is made private (directory 0700, file 0600) and starts with the SHA-256 of the bundle it was made from", () => {
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).subarray(0, 32).equals(header)).toBe(true);
    expectNotRun(helper(cache));
  });

  it("the forged file is a working forgery when it passes every check (control: the cases below are refusals)", () => {
    writeFileSync(file, Buffer.concat([header, forged]), { mode: 0o600 });
    const r = helper(cache);
    expect(r.stdout).toContain(MARK);
  });

  it("is not run when the file can be read or written by others; a fresh cache replaces it", () => {
    writeFileSync(file, Buffer.concat([header, forged]));
    chmodSync(file, 0o644);
    expectNotRun(helper(cache));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file).subarray(32).equals(forged)).toBe(false);
    expectNotRun(helper(cache));
  });

  it("is not run (and not rewritten) when the directory is open to others", () => {
    writeFileSync(file, Buffer.concat([header, forged]), { mode: 0o600 });
    chmodSync(dir, 0o755);
    expectNotRun(helper(cache));
    expect(readFileSync(file).subarray(32).equals(forged)).toBe(true);
  });

  it("is not run when it was made from another bundle", () => {
    const other = Buffer.from(header);
    other[0] = other[0]! ^ 0xff;
    writeFileSync(file, Buffer.concat([other, forged]), { mode: 0o600 });
    expectNotRun(helper(cache));
  });

  it("is not run through a symbolic link, for the file or the directory", () => {
    const elsewhere = join(cache, "elsewhere.v8");
    writeFileSync(elsewhere, Buffer.concat([header, forged]), { mode: 0o600 });
    rmSync(file);
    symlinkSync(elsewhere, file);
    expectNotRun(helper(cache));
    const real = join(cache, "real-dir");
    execFileSync("cp", ["-a", dir, real]);
    rmSync(join(real, file.slice(dir.length + 1)), { force: true });
    writeFileSync(join(real, file.slice(dir.length + 1)), Buffer.concat([header, forged]), { mode: 0o600 });
    rmSync(dir, { recursive: true });
    symlinkSync(real, dir);
    expectNotRun(helper(cache));
    expect(existsSync(join(real, file.slice(dir.length + 1)))).toBe(true);
  });

  it("is neither read nor written with GSD_ASYNC_NO_CODE_CACHE=1", () => {
    writeFileSync(file, Buffer.concat([header, forged]), { mode: 0o600 });
    const r = spawnSync(process.execPath, [cli, "--version"], { env: { ...env(cache), GSD_ASYNC_NO_CODE_CACHE: "1" }, encoding: "utf8" });
    expectNotRun(r);
    expect(readFileSync(file).subarray(32).equals(forged)).toBe(true);
  });
});
