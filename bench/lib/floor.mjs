// The floor of analysis: only reading every plan file and parsing its front matter with the same
// YAML parser (gray-matter, YAML only, as lib/core/plan/frontmatter.ts calls it). Measured in the
// same process and run as the analysis it is compared with, so the ratio survives machine load.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { PROJECT_ROOT } from "./paths.mjs";

const matter = createRequire(join(PROJECT_ROOT, "package.json"))("gray-matter");
const refuse = () => {
  throw new Error("executable front matter is disabled");
};
// Passing options also keeps gray-matter from answering out of its content cache.
const OPTIONS = { language: "yaml", engines: { js: { parse: refuse, stringify: refuse } } };

/** Absolute paths of every plan file of every phase of `root`, in the order analysis reads them. */
export function planFiles(lib, root) {
  const tree = lib.loadTree(root);
  return tree.phases.flatMap((phase) => lib.phaseFiles(phase).plans.map((p) => join(root, p.file)));
}

/**
 * The same for every plan file and every SUMMARY.md of `root`: what analysis must read and parse
 * at the least (it reads a plan's summary for its status and duration).
 */
export function planAndSummaryFiles(lib, root) {
  const tree = lib.loadTree(root);
  return tree.phases.flatMap((phase) => {
    const f = lib.phaseFiles(phase);
    return [...f.plans, ...f.summaries].map((p) => join(root, p.file));
  });
}

/**
 * A fresh node process doing only that for `files`: the floor of a whole `analyze` process
 * (start node, load the YAML parser, read and parse the phase's files).
 */
export const FLOOR_PROCESS = `
const matter = require(process.argv[1]);
const fs = require("fs");
const refuse = () => { throw new Error("disabled"); };
const options = { language: "yaml", engines: { js: { parse: refuse, stringify: refuse } } };
for (const f of process.argv.slice(2)) { try { matter(fs.readFileSync(f, "utf8"), options); } catch {} }
`;
export const GRAY_MATTER = createRequire(join(PROJECT_ROOT, "package.json")).resolve("gray-matter");

/** Reads and parses every file once; returns the wall time in ms. */
export function floorPass(files) {
  const start = process.hrtime.bigint();
  let keys = 0;
  for (const f of files) {
    const text = readFileSync(f, "utf8");
    try {
      keys += Object.keys(matter(text, OPTIONS).data).length;
    } catch {
      // A malformed block still cost its parse; analysis reports it, the floor only pays for it.
    }
  }
  if (keys < 0) throw new Error("unreachable");
  return Number(process.hrtime.bigint() - start) / 1e6;
}
