import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { inflateSync } from "node:zlib";

/**
 * plugin/ is what the marketplace entry installs (built by scripts/build-plugin.mjs; CI checks it
 * is current with scripts/check-dist.sh). Claude Code runs `npm ci` or `bun install` in a plugin
 * whose root holds a package.json and a lockfile: this one must hold neither, only what runs.
 */
const repo = resolve(__dirname, "../..");
const plugin = join(repo, "plugin");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [relative(plugin, join(dir, e.name))]));
}

describe("the plugin folder", () => {
  it("holds exactly the manifest, icon, commands, protocol, workflow script, hooks, agent, helper, README and LICENSE", () => {
    expect(files(plugin).sort()).toEqual(
      [
        ".claude-plugin/icon.png",
        ".claude-plugin/plugin.json",
        "LICENSE",
        "README.md",
        "agents/gsd-executor.md",
        "commands/execute-async.md",
        "commands/execute-phase-async.md",
        "commands/status.md",
        "dist/cli.js",
        "dist/hook-pre-tool-use.js",
        "hooks/hooks.json",
        "workflows/async-execution.md",
        "workflows/run-phase.js",
      ].sort(),
    );
  });

  it("has the sources' text and the built helper, and the manifest's version is the package's and the marketplace's", () => {
    for (const f of [
      "commands/status.md",
      "workflows/async-execution.md",
      "workflows/run-phase.js",
      "hooks/hooks.json",
      "agents/gsd-executor.md",
      "dist/cli.js",
      "dist/hook-pre-tool-use.js",
      "README.md",
    ]) {
      expect({ f, same: readFileSync(join(plugin, f), "utf8") === readFileSync(join(repo, f), "utf8") }).toEqual({ f, same: true });
    }
    const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { version: string };
    const manifest = JSON.parse(readFileSync(join(plugin, ".claude-plugin/plugin.json"), "utf8")) as { name: string; version: string; network: unknown };
    const market = JSON.parse(readFileSync(join(repo, ".claude-plugin/marketplace.json"), "utf8")) as {
      plugins: { name: string; source: string; version: string }[];
    };
    expect(manifest).toMatchObject({ name: "gsd", version: pkg.version, network: { hosts: [] } });
    expect(market.plugins).toEqual([expect.objectContaining({ name: "gsd", source: "./plugin", version: pkg.version })]);
  });

  it("has an icon the plugin directory accepts: a valid square PNG of 512 to 2048 px, under 2 MB", () => {
    const file = join(plugin, ".claude-plugin/icon.png");
    const png = readFileSync(file);
    expect(statSync(file).size).toBeLessThan(2 * 1024 * 1024);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const chunks: { type: string; data: Buffer }[] = [];
    for (let at = 8; at < png.length;) {
      const length = png.readUInt32BE(at);
      const type = png.toString("ascii", at + 4, at + 8);
      chunks.push({ type, data: png.subarray(at + 8, at + 8 + length) });
      at += 12 + length;
    }
    expect(chunks.map((c) => c.type)).toEqual(["IHDR", "IDAT", "IEND"]);
    const ihdr = chunks[0]!.data;
    const [width, height] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)];
    expect(width).toBe(height);
    expect(width).toBeGreaterThanOrEqual(512);
    expect(width).toBeLessThanOrEqual(2048);
    // 8-bit RGBA: every row is a filter byte and 4 bytes a pixel.
    expect([ihdr[8], ihdr[9]]).toEqual([8, 6]);
    expect(inflateSync(chunks[1]!.data).length).toBe(height * (1 + width * 4));
  });
});
