// Where a cold `analyze` process spends its time: node's own start, loading the bundle,
// opening the project (listing .planning/), and analysing the phase. Measured inside fresh
// processes with performance.now(), median over a few runs.
import { timeNode } from "./process-timer.mjs";
import { median } from "./stats.mjs";

const SCRIPT = `
const t0 = performance.now();
const lib = require(process.argv[1]);
const t1 = performance.now();
const opened = lib.openProject(process.argv[2]);
const t2 = performance.now();
const chosen = lib.choosePhase(opened.project, process.argv[3]);
const analysis = lib.analyzeProjectPhase(opened.project, chosen.phase);
const t3 = performance.now();
JSON.stringify(lib.analysisToJson(analysis, opened.project.root));
const t4 = performance.now();
process.stdout.write(JSON.stringify({ boot: t0, load: t1 - t0, open: t2 - t1, analyze: t3 - t2, json: t4 - t3 }));
`;

export function coldBreakdown(indexJs, projectRoot, phaseDir, runs = 7) {
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(JSON.parse(String(timeNode(["-e", SCRIPT, indexJs, projectRoot, phaseDir]).stdout)));
  const pick = (k) => median(samples.map((s) => s[k]));
  return { boot: pick("boot"), load: pick("load"), open: pick("open"), analyze: pick("analyze"), json: pick("json") };
}
