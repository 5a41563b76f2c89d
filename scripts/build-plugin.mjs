// Post-build step: assembles plugin/, the folder the marketplace entry points at, from the
// sources. It holds exactly what Claude Code loads and runs: the commands, the protocol, the
// workflow script, the hooks, the executor agent, the bundled helper, the manifest with its icon, README and LICENSE.
// No package.json: Claude Code installs a plugin's dependencies (npm ci, bun install) when a
// package.json and a lockfile sit at the plugin's root, and the helper needs none. The output
// is deterministic, so CI can check that the committed folder is what the sources give.
import { chmodSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { iconPng } from "./make-icon.mjs";

const repo = new URL("..", import.meta.url);
const at = (p) => new URL(p, repo);
const out = at("plugin/");
const pkg = JSON.parse(readFileSync(at("package.json"), "utf8"));

const manifest = {
  name: "gsd",
  version: pkg.version,
  description: "Run a GSD phase's plans as parallel background agents: dependency analysis, a capped scheduler and a durable queue.",
  author: { name: pkg.author },
  homepage: pkg.homepage,
  repository: pkg.repository.url.replace(/^git\+/, "").replace(/\.git$/, ""),
  license: pkg.license,
  keywords: ["gsd", "parallel", "agents", "planning"],
  // The helper and its hooks work on local files only.
  network: { hosts: [] },
};

rmSync(out, { recursive: true, force: true });
mkdirSync(at("plugin/.claude-plugin/"), { recursive: true });
writeFileSync(at("plugin/.claude-plugin/plugin.json"), JSON.stringify(manifest, null, 2) + "\n");
writeFileSync(at("plugin/.claude-plugin/icon.png"), iconPng());
for (const dir of ["commands", "workflows", "agents"]) {
  mkdirSync(at(`plugin/${dir}/`), { recursive: true });
  for (const name of readdirSync(at(`${dir}/`)).sort()) {
    // A workflows/*.js is a Workflow script: Claude Code finds it by name as `gsd:<meta.name>`.
    const shipped = name.endsWith(".md") || (dir === "workflows" && name.endsWith(".js"));
    if (shipped) cpSync(at(`${dir}/${name}`), at(`plugin/${dir}/${name}`));
  }
}
mkdirSync(at("plugin/hooks/"), { recursive: true });
cpSync(at("hooks/hooks.json"), at("plugin/hooks/hooks.json"));
mkdirSync(at("plugin/dist/"), { recursive: true });
for (const f of ["cli.js", "hook-pre-tool-use.js"]) {
  cpSync(at(`dist/${f}`), at(`plugin/dist/${f}`));
  chmodSync(at(`plugin/dist/${f}`), statSync(at(`dist/${f}`)).mode & 0o777);
}
for (const f of ["README.md", "LICENSE"]) cpSync(at(f), at(`plugin/${f}`));
