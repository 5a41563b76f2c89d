import { type Dirent, readdirSync, realpathSync, statSync } from "node:fs";
import { join, sep } from "node:path";
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

type Kind = "dir" | "file" | "other";

/**
 * What an entry is, following a symbolic link only when its target stays inside the project
 * (`outside` otherwise: the target is never read). A broken link is `other`.
 */
function kindOf(e: Dirent, abs: string, realRoot: string): { kind: Kind; outside: boolean } {
  if (!e.isSymbolicLink()) return { kind: e.isDirectory() ? "dir" : e.isFile() ? "file" : "other", outside: false };
  try {
    const real = realpathSync(abs);
    const st = statSync(real);
    const kind: Kind = st.isDirectory() ? "dir" : st.isFile() ? "file" : "other";
    return { kind, outside: real !== realRoot && !real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep) };
  } catch {
    return { kind: "other", outside: false };
  }
}

function realRootOf(projectRoot: string): string {
  try {
    return realpathSync(projectRoot);
  } catch {
    return projectRoot;
  }
}

/**
 * Lists every phase directory under `.planning/` (in `phases/`, `milestones/*-phases/`,
 * `archive/<x>/phases/`, `workstreams/<ws>/phases/`...) with the names of its files. Only
 * names are read here; file contents are read for the phase being analysed.
 *
 * Symbolic links (to a container, a phase directory or a plan) are followed when their target
 * is inside the project. One pointing outside is not followed: a linked container or directory
 * is listed in `outsideLinks` of the tree, a linked file in `outsideLinks` of its phase, and
 * analysis reports both.
 */
export function loadTree(projectRoot: string): PlanningTree {
  const phases: PhaseListing[] = [];
  const outsideLinks: string[] = [];
  const realRoot = realRootOf(projectRoot);
  const abs = (rel: string) => join(projectRoot, PLANNING_DIR, rel);
  const walk = (rel: string, depth: number) => {
    for (const e of entries(abs(rel))) {
      if (e.name.startsWith(".") || e.name === "node_modules") continue;
      const childRel = rel === "" ? e.name : `${rel}/${e.name}`;
      const k = kindOf(e, abs(childRel), realRoot);
      if (k.kind !== "dir") continue;
      if (k.outside) {
        outsideLinks.push(`${PLANNING_DIR}/${childRel}`);
        continue;
      }
      if (isPhaseContainerName(e.name)) {
        for (const p of entries(abs(childRel))) {
          if (p.name.startsWith(".")) continue;
          const dirRel = `${childRel}/${p.name}`;
          const pk = kindOf(p, abs(dirRel), realRoot);
          if (pk.kind !== "dir") continue;
          if (pk.outside) {
            outsideLinks.push(`${PLANNING_DIR}/${dirRel}`);
            continue;
          }
          const files: string[] = [];
          const linkedOut: string[] = [];
          for (const f of entries(abs(dirRel))) {
            const fk = kindOf(f, abs(`${dirRel}/${f.name}`), realRoot);
            if (fk.kind !== "file") continue;
            if (fk.outside) linkedOut.push(f.name);
            else files.push(f.name);
          }
          const parsed = parsePhaseDirName(p.name);
          const listing: PhaseListing = {
            dir: `${PLANNING_DIR}/${dirRel}`,
            name: p.name,
            container: childRel,
            active: isActiveContainer(childRel),
            files,
          };
          if (linkedOut.length > 0) listing.outsideLinks = linkedOut;
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
  const tree: PlanningTree = { root: PLANNING_DIR, phases };
  if (outsideLinks.length > 0) tree.outsideLinks = outsideLinks.sort(compareNatural);
  return tree;
}
