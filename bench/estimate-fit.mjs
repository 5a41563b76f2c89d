#!/usr/bin/env node
// How well the duration estimate (lib/core/estimate.ts) matches real SUMMARY.md durations in
// the corpus, and what a least-squares fit of minutes ~ base + perTask * tasks + perFile * files
// would give. Run after `npm run build`: node bench/estimate-fit.mjs
import { CORPUS, loadDist } from "./lib/paths.mjs";
import { corpusProjects } from "./lib/typical-phase.mjs";

const lib = loadDist();
const rows = [];
for (const p of corpusProjects(CORPUS)) {
  const opened = lib.openProject(p.root);
  if (!opened.ok) continue;
  for (const phase of opened.project.tree.phases) {
    const a = lib.analyzePhase({ tree: opened.project.tree, phase, texts: readTexts(opened.project.root, phase), projectRootAbs: opened.project.root });
    for (const plan of a.plans) {
      if (plan.durationSource !== "summary" || plan.durationMinutes > 240) continue;
      const doc = lib.parsePlanDoc(readFile(opened.project.root, plan.file), plan.file);
      rows.push({
        real: plan.durationMinutes,
        est: lib.estimateMinutes(doc),
        tasks: doc.tasks.filter((t) => t.checkpoint === undefined).length,
        files: doc.filesModified.length,
        cps: doc.checkpoints.length,
      });
    }
  }
}

import { readFileSync } from "node:fs";
import { join } from "node:path";
function readFile(root, rel) {
  return readFileSync(join(root, rel), "utf8");
}
function readTexts(root, phase) {
  const m = new Map();
  const f = lib.phaseFiles(phase);
  for (const x of [...f.plans, ...f.summaries]) {
    try {
      m.set(x.file, readFile(root, x.file));
    } catch {
      // unreadable: the analysis reports it
    }
  }
  return m;
}

const n = rows.length;
const mean = (f) => rows.reduce((s, r) => s + f(r), 0) / n;
const mae = mean((r) => Math.abs(r.real - r.est));
const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
// Least squares for real ~ b0 + b1*tasks + b2*files (normal equations, 3x3).
const X = rows.map((r) => [1, r.tasks, r.files]);
const XtX = [0, 1, 2].map((i) => [0, 1, 2].map((j) => X.reduce((s, x) => s + x[i] * x[j], 0)));
const Xty = [0, 1, 2].map((i) => X.reduce((s, x, k) => s + x[i] * rows[k].real, 0));
const solve = (A, b) => {
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < 3; c++) {
    const p = M[c][c];
    for (let j = c; j < 4; j++) M[c][j] /= p;
    for (let r = 0; r < 3; r++) if (r !== c) for (let j = 3; j >= c; j--) M[r][j] -= M[r][c] * M[c][j];
  }
  return M.map((row) => row[3]);
};
const [b0, b1, b2] = solve(XtX, Xty);
console.log(`plans with a real duration (<= 4 h): ${n}`);
console.log(`real minutes: mean ${mean((r) => r.real).toFixed(1)}, median ${median(rows.map((r) => r.real))}`);
console.log(`estimate: mean ${mean((r) => r.est).toFixed(1)}, median ${median(rows.map((r) => r.est))}, mean absolute error ${mae.toFixed(1)} min`);
console.log(`least squares: minutes = ${b0.toFixed(2)} + ${b1.toFixed(2)} * tasks + ${b2.toFixed(2)} * files`);
