/**
 * Names of worktree mode: every plan works on `gsd/<phase>/<plan>` in `.gsd-worktrees/<phase>/<plan>`,
 * branched from `gsd/<phase>/integration`, which starts at the commit the run started from and
 * collects each completed plan by merge. Names are made safe for git refs and file names.
 */
export const WORKTREES_DIR = ".gsd-worktrees";
export const INTEGRATION = "integration";

/** A ref-name component: letters, digits, `.`, `_`, `-`; no leading dot, no `..`, no `.lock` ending. */
export function refPart(s: string): string {
  let out = s.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/\.{2,}/g, ".");
  out = out
    .replace(/^[.-]+/, "")
    .replace(/\.lock$/i, "-lock")
    .replace(/\.$/, "");
  return out === "" ? "x" : out.slice(0, 100);
}

/** The phase part of the names: the phase directory's own name (`.planning/phases/02-core` -> `02-core`). */
export function phasePart(phaseDir: string): string {
  const parts = phaseDir.replace(/\\/g, "/").replace(/\/+$/, "").split("/");
  return refPart(parts[parts.length - 1] ?? phaseDir);
}

export function integrationBranch(phaseDir: string): string {
  return `gsd/${phasePart(phaseDir)}/${INTEGRATION}`;
}

export function planBranch(phaseDir: string, planId: string): string {
  const p = refPart(planId);
  return `gsd/${phasePart(phaseDir)}/${p === INTEGRATION ? `plan-${p}` : p}`;
}

/** Relative to the repository's top directory. */
export function planWorktreeDir(phaseDir: string, planId: string): string {
  return `${WORKTREES_DIR}/${phasePart(phaseDir)}/${planBranch(phaseDir, planId).split("/").pop() as string}`;
}

export function integrationWorktreeDir(phaseDir: string): string {
  return `${WORKTREES_DIR}/${phasePart(phaseDir)}/${INTEGRATION}`;
}
