// Generates a synthetic GSD phase of N plans in a temp directory, shaped like real ones:
// front matter with depends_on to a few earlier plans, files_modified drawn from a shared pool
// of source files (so plans conflict on writes), <context> @-references to files other plans
// write (read-after-write) and to earlier plans' summaries, and a few tasks per plan.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prng } from "./prng.mjs";

const PHASE = "01";
const PHASE_DIR = ".planning/phases/01-synthetic";
/** Plans per module of the code base: neighbours in plan order mostly touch the same area. */
const PLANS_PER_MODULE = 25;
const FILES_PER_MODULE = 12;

const words = ["parse", "cache", "render", "route", "schema", "token", "queue", "store", "client", "ledger", "export", "filter"];

function planId(i, width) {
  return `${PHASE}-${String(i).padStart(width, "0")}`;
}

function planText(i, n, width, rnd) {
  const modules = Math.max(4, Math.ceil(n / PLANS_PER_MODULE));
  const home = Math.min(modules - 1, Math.floor((i - 1) / PLANS_PER_MODULE));
  const moduleNear = () => (rnd.chance(0.8) ? home : rnd.int(0, modules - 1));
  const file = (m) => `src/m${m}/${rnd.pick(words)}-${rnd.int(1, FILES_PER_MODULE)}.ts`;

  const writes = new Set();
  const nWrites = rnd.int(1, 4);
  for (let k = 0; k < nWrites; k++) {
    const m = moduleNear();
    // About 1 in 100 entries in real plans is a directory or a glob.
    if (rnd.chance(0.005)) writes.add(`src/m${m}/`);
    // eslint-disable-next-line no-dupe-else-if -- two separate random draws, not one condition
    else if (rnd.chance(0.005)) writes.add(`src/m${m}/**/*.ts`);
    else writes.add(file(m));
  }
  const deps = new Set();
  if (i > 1 && rnd.chance(0.6)) {
    const count = rnd.int(1, 3);
    for (let k = 0; k < count; k++) deps.add(planId(rnd.int(Math.max(1, i - 20), i - 1), width));
  }
  const reads = new Set();
  const nReads = rnd.int(1, 3);
  for (let k = 0; k < nReads; k++) reads.add(file(moduleNear()));
  const summaryRef = i > 1 && rnd.chance(0.3) ? planId(rnd.int(Math.max(1, i - 10), i - 1), width) : undefined;
  const checkpoint = rnd.chance(0.05);
  const w = [...writes];

  const lines = [
    "---",
    `phase: ${PHASE}-synthetic`,
    `plan: ${String(i).padStart(width, "0")}`,
    "type: execute",
    `depends_on: [${[...deps].map((d) => `"${d}"`).join(", ")}]`,
    "files_modified:",
    ...w.map((f) => `  - ${f}`),
    `autonomous: ${checkpoint ? "false" : "true"}`,
    "requirements:",
    `  - REQ-${String((i % 97) + 1).padStart(2, "0")}`,
    "must_haves:",
    "  truths:",
    `    - "the ${rnd.pick(words)} path handles an empty input without throwing"`,
    "  artifacts:",
    `    - path: "${w[0]}"`,
    `      provides: "${rnd.pick(words)} support"`,
    "---",
    "",
    "<objective>",
    `Add ${rnd.pick(words)} handling to module ${home} so later plans can rely on it.`,
    "Purpose: keep the synthetic code base growing the way a real phase does.",
    "</objective>",
    "",
    "<context>",
    "@.planning/PROJECT.md",
    "@.planning/ROADMAP.md",
    ...(summaryRef ? [`@${PHASE_DIR}/${summaryRef}-SUMMARY.md`] : []),
    ...[...reads].map((f) => `@${f}`),
    "</context>",
    "",
    "<tasks>",
  ];
  const nTasks = rnd.int(2, 3);
  for (let t = 1; t <= nTasks; t++) {
    const files = w.slice((t - 1) % w.length, ((t - 1) % w.length) + 2);
    lines.push(
      '<task type="auto">',
      `  <name>Task ${t}: ${rnd.pick(words)} the ${rnd.pick(words)} layer</name>`,
      `  <files>${files.join(", ")}</files>`,
      "  <action>",
      `  Implement the ${rnd.pick(words)} step. Keep the public signature; add a guard for missing input`,
      `  and a unit test next to the file. Do not touch the ${rnd.pick(words)} module in this task.`,
      "  </action>",
      "  <verify>npm test passes</verify>",
      "  <done>The new behaviour is covered by a test.</done>",
      "</task>",
      "",
    );
  }
  if (checkpoint) {
    lines.push(
      '<task type="checkpoint:human-verify" gate="blocking">',
      "  <what-built>The feature above</what-built>",
      "  <resume-signal>approved</resume-signal>",
      "</task>",
      "",
    );
  }
  lines.push("</tasks>", "", "<verification>", "All tasks verified.", "</verification>", "");
  return lines.join("\n");
}

function summaryText(i, width) {
  return [
    "---",
    `phase: ${PHASE}-synthetic`,
    `plan: ${String(i).padStart(width, "0")}`,
    "duration: 6min",
    "---",
    "",
    `# Plan ${planId(i, width)} summary`,
    "",
    "Done.",
    "",
  ].join("\n");
}

/** Writes the phase; `cleanup()` removes everything. About 1 plan in 5 is already complete. */
export function syntheticPhase(n, seed = 42) {
  const root = mkdtempSync(join(tmpdir(), "gsd-async-bench-"));
  const dir = join(root, PHASE_DIR);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(root, ".planning", "PROJECT.md"), "# Synthetic project\n");
  writeFileSync(join(root, ".planning", "ROADMAP.md"), "# Roadmap\n\n### Phase 1: Synthetic\n");
  const width = Math.max(2, String(n).length);
  const rnd = prng(seed);
  let bytes = 0;
  for (let i = 1; i <= n; i++) {
    const text = planText(i, n, width, rnd);
    bytes += text.length;
    writeFileSync(join(dir, `${planId(i, width)}-PLAN.md`), text);
    if (i <= n / 5) writeFileSync(join(dir, `${planId(i, width)}-SUMMARY.md`), summaryText(i, width));
  }
  return { root, phaseDir: PHASE_DIR, plans: n, bytes, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}
