import { isPhaseNumber, samePhaseNumber } from "./phase-number";
import type { PhaseListing, PlanningTree } from "./planning-tree";

export type PhaseSelection = { ok: true; phase: PhaseListing; note?: string } | { ok: false; reason: string; candidates: string[] };

function byPath(tree: PlanningTree, arg: string): PhaseListing | undefined {
  const want = arg.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "");
  // Most exact first: `phases/02-x` is `.planning/phases/02-x` even when a workstream's
  // `.../workstreams/w/phases/02-x` comes earlier in the listing.
  return (
    tree.phases.find((p) => p.dir === want) ??
    tree.phases.find((p) => p.dir === `${tree.root}/${want}`) ??
    preferActive(tree.phases.filter((p) => p.dir.endsWith(`/${want}`) || p.name === want))
  );
}

/** Among directories matching a bare name, the top-level `phases/` one, then a live one. */
function preferActive(list: PhaseListing[]): PhaseListing | undefined {
  return list.find((p) => p.container === "phases") ?? list.find((p) => p.active) ?? list[0];
}

/**
 * Finds the phase a user named: by directory path (always exact), by directory name, or by
 * number in any padding (`2`, `02`, `002`, `2.1`, `36B`). A number found in several places
 * prefers the top-level `phases/` directory, then a single live workstream one, and says so.
 */
export function selectPhase(tree: PlanningTree, arg: string): PhaseSelection {
  const trimmed = arg.trim();
  if (trimmed === "") return { ok: false, reason: "empty phase argument", candidates: [] };
  const exact = byPath(tree, trimmed);
  if (exact && (!isPhaseNumber(trimmed) || trimmed.includes("/"))) return { ok: true, phase: exact };
  if (!isPhaseNumber(trimmed)) {
    return { ok: false, reason: `no phase directory matches '${trimmed}'`, candidates: tree.phases.map((p) => p.dir) };
  }
  const matches = tree.phases.filter((p) => p.number !== undefined && samePhaseNumber(p.number, trimmed));
  if (matches.length === 0) {
    return { ok: false, reason: `no phase numbered ${trimmed}`, candidates: tree.phases.filter((p) => p.active).map((p) => p.dir) };
  }
  if (matches.length === 1 && matches[0]) return { ok: true, phase: matches[0] };
  const top = matches.filter((p) => p.container === "phases");
  const live = top.length > 0 ? top : matches.filter((p) => p.active);
  const others = matches.map((p) => p.dir);
  if (live.length === 1 && live[0]) {
    const chosen = live[0];
    const rest = others.filter((d) => d !== chosen.dir);
    return {
      ok: true,
      phase: chosen,
      note: `phase ${trimmed} also exists in ${rest.join(", ")}; using the active ${chosen.dir} (pass a path to choose another)`,
    };
  }
  return { ok: false, reason: `phase ${trimmed} matches ${matches.length} directories; pass the directory path`, candidates: others };
}
