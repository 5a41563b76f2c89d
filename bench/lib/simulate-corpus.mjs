// Issue 3's schedule-quality figure: every phase of the corpus replayed from scratch with its
// real durations (from SUMMARY.md; estimates where a summary has none) at one cap, summed.
import { corpusProjects } from "./typical-phase.mjs";

export function simulateCorpus(lib, corpus, cap) {
  const total = { sequential: 0, waveBarrier: 0, scheduler: 0, lowerBound: 0, phases: 0, plans: 0, real: 0, worse: 0 };
  for (const p of corpusProjects(corpus)) {
    const opened = lib.openProject(p.root);
    if (!opened.ok) throw new Error(`cannot open ${p.root}: ${opened.reason}`);
    for (const phase of opened.project.tree.phases) {
      const a = lib.analyzeProjectPhase(opened.project, phase);
      if (a.plans.length === 0) continue;
      const c = lib.compareSchedules(lib.simPlansOf(a), cap);
      total.sequential += c.sequential;
      total.waveBarrier += c.waveBarrier;
      total.scheduler += c.scheduler;
      total.lowerBound += c.lowerBound;
      total.phases += 1;
      total.plans += a.plans.length;
      total.real += a.plans.filter((x) => x.durationSource === "summary").length;
      if (c.scheduler > c.waveBarrier + 1e-9) total.worse += 1;
    }
  }
  return total;
}
