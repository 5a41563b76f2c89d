import { type Dirent, readdirSync } from "node:fs";
import { join } from "node:path";
import { compareNatural, parsePhaseDirName } from "../core/plan/phase-number";
import { type PhaseListing, type PlanningTree, isActiveContainer, isPhaseContainerName } from "../core/plan/planning-tree";
import { PLANNING_DIR } from "./planning-root";

/** Containers sit at most this deep: `.planning/workstreams/<ws>/milestones/v1-phases`. */
const MAX_DEPTH = 5;

function entries(abs: string): Dirent[] {
  try {
    return readdirSync(abs, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * Lists every phase directory under `.planning/` (in `phases/`, `milestones/*-phases/`,
 * `archive/<x>/phases/`, `workstreams/<ws>/phases/`...) with the names of its files. Only
 * names are read here; file contents are read for the phase being analysed.
 */
export function loadTree(projectRoot: string): PlanningTree {
  const phases: PhaseListing[] = [];
  const walk = (rel: string, depth: number) => {
    for (const e of entries(join(projectRoot, PLANNING_DIR, rel))) {
      if (!e.isDirectory() || e.name.startsWith(".") || e.name === "node_modules") continue;
      const childRel = rel === "" ? e.name : `${rel}/${e.name}`;
      if (isPhaseContainerName(e.name)) {
        for (const p of entries(join(projectRoot, PLANNING_DIR, childRel))) {
          if (!p.isDirectory() || p.name.startsWith(".")) continue;
          const dirRel = `${childRel}/${p.name}`;
          const files = entries(join(projectRoot, PLANNING_DIR, dirRel))
            .filter((f) => f.isFile())
            .map((f) => f.name);
          const parsed = parsePhaseDirName(p.name);
          const listing: PhaseListing = {
            dir: `${PLANNING_DIR}/${dirRel}`,
            name: p.name,
            container: childRel,
            active: isActiveContainer(childRel),
            files,
          };
          if (parsed.number !== undefined) listing.number = parsed.number;
          phases.push(listing);
        }
      } else if (depth < MAX_DEPTH) {
        walk(childRel, depth + 1);
      }
    }
  };
  walk("", 1);
  phases.sort((a, b) => compareNatural(a.dir, b.dir));
  return { root: PLANNING_DIR, phases };
}
