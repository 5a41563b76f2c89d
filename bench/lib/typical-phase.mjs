// Picks a typical phase of the corpus deterministically: the median-sized project by plan
// count, then its phase with the median plan count.
import { readdirSync, existsSync } from "node:fs";
import { join } from "node:path";

function medianItem(items, size, key) {
  const sorted = [...items].sort((x, y) => size(x) - size(y) || key(x).localeCompare(key(y)));
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/** Every project folder of the corpus (one with `.planning/`), sorted by name. */
export function corpusProjects(corpus) {
  return readdirSync(corpus, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(corpus, e.name, ".planning")))
    .map((e) => ({ name: e.name, root: join(corpus, e.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function typicalPhase(lib, corpus) {
  const projects = corpusProjects(corpus).map((p) => {
    const tree = lib.loadTree(p.root);
    const phases = tree.phases.map((ph) => ({ dir: ph.dir, plans: lib.phaseFiles(ph).plans.length })).filter((ph) => ph.plans > 0);
    return { ...p, phases, plans: phases.reduce((n, ph) => n + ph.plans, 0) };
  });
  const project = medianItem(
    projects,
    (p) => p.plans,
    (p) => p.name,
  );
  const phase = medianItem(
    project.phases,
    (ph) => ph.plans,
    (ph) => ph.dir,
  );
  return { project: project.name, root: project.root, projectPlans: project.plans, dir: phase.dir, plans: phase.plans };
}
