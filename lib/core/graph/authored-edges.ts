import { echo } from "../common/echo";
import { type Diagnostic, diagnostic } from "../common/diagnostic";
import { type LocalPlan, resolveDependency } from "../plan/depends";
import { type EdgeReason, EdgeSet } from "./edges";
import type { PlanDoc } from "../plan/plan-doc";
import { type PhaseListing, type PlanFileRef, type PlanningTree, phaseFiles, summaryFor } from "../plan/planning-tree";
import { isAmbiguity, refTargets } from "../plan/ref-targets";

export interface AnalyzedEdge {
  from: string;
  to: string;
  fromFile: string;
  toFile: string;
  /** The prerequisite lives in another phase. */
  external: boolean;
  /** For external prerequisites: whether it is complete (it then no longer blocks). */
  satisfied?: boolean;
  reasons: EdgeReason[];
}

export interface AuthoredPlan {
  id: string;
  ref: PlanFileRef;
  doc: PlanDoc | undefined;
}

/**
 * The edges the plans' authors wrote: `depends_on` entries (resolved in this phase or another)
 * and @-references to other plans' PLAN.md or SUMMARY.md. Prerequisites in other phases are
 * returned apart (`external`), marked satisfied when that plan has its SUMMARY.md. Problems
 * (unresolved, ambiguous, self) go to `diagnostics`.
 */
export function authoredEdges(
  work: readonly AuthoredPlan[],
  phase: PhaseListing,
  tree: PlanningTree,
  diagnostics: Diagnostic[],
): { explicit: EdgeSet; external: AnalyzedEdge[] } {
  const locals: LocalPlan[] = work.map((w) =>
    w.ref.planToken === undefined ? { id: w.id, stem: w.ref.stem } : { id: w.id, stem: w.ref.stem, planToken: w.ref.planToken },
  );
  const explicit = new EdgeSet();
  const external = new Map<string, AnalyzedEdge>();
  const addExternal = (plan: PlanFileRef, to: AuthoredPlan, reason: EdgeReason, target: PhaseListing) => {
    const key = `${plan.file}\u0000${to.id}`;
    let e = external.get(key);
    if (!e) {
      const satisfied = summaryFor(plan, phaseFiles(target).summaries) !== undefined;
      e = { from: plan.id, to: to.id, fromFile: plan.file, toFile: to.ref.file, external: true, satisfied, reasons: [] };
      external.set(key, e);
      if (!satisfied) {
        diagnostics.push(
          diagnostic(
            "warning",
            "cross-phase-pending",
            `${to.id} needs ${plan.id} from ${target.dir}, which has no SUMMARY.md yet: it stays blocked until that plan is complete`,
            { file: to.ref.file, line: reason.line },
          ),
        );
      }
    }
    if (!e.reasons.some((r) => r.kind === reason.kind && r.file === reason.file)) e.reasons.push(reason);
  };

  for (const [i, w] of work.entries()) {
    for (const dep of w.doc?.dependsOn ?? []) {
      const where = { file: w.ref.file, line: dep.line };
      const r = resolveDependency(dep.value, locals[i] as LocalPlan, locals, phase, tree);
      if (r.kind === "same") explicit.add(r.id, w.id, { kind: "declared", line: dep.line });
      else if (r.kind === "cross") addExternal(r.plan, w, { kind: "cross-phase", file: r.plan.file, line: dep.line }, r.phase);
      else if (r.kind === "self")
        diagnostics.push(diagnostic("warning", "depends-self", `${w.id} lists itself in depends_on ('${echo(dep.value)}'); ignored`, where));
      else if (r.kind === "ambiguous") {
        // Uncertain means sequential: wait for every plan the entry could mean.
        for (const id of r.ids) if (id !== w.id) explicit.add(id, w.id, { kind: "declared", line: dep.line });
        diagnostics.push(
          diagnostic("warning", "depends-ambiguous", `depends_on '${echo(dep.value)}' matches ${r.ids.join(", ")}; waiting for all of them`, where),
        );
      } else
        diagnostics.push(diagnostic("error", "depends-unresolved", `depends_on '${echo(dep.value)}' does not name any plan in this phase or another`, where));
    }
  }

  const targets = refTargets(
    work.map((w) => ({ id: w.id, ref: w.ref })),
    tree,
    phase,
  );
  // One note per written directory and phase, at its first reference, counting the plans.
  const moved = new Map<string, { movedTo: string; where: { file: string; line: number }; plans: Set<string> }>();
  for (const w of work) {
    const told = new Set<string>();
    const tellOnce = (key: string, make: () => Diagnostic) => {
      if (told.has(key)) return;
      told.add(key);
      diagnostics.push(make());
    };
    for (const read of w.doc?.reads ?? []) {
      const t = targets.lookup(read.path);
      if (!t) continue;
      const writtenDir = read.path.slice(0, read.path.lastIndexOf("/"));
      const where = { file: w.ref.file, line: read.line };
      if (isAmbiguity(t)) {
        tellOnce(`?${writtenDir}`, () =>
          diagnostic(
            "warning",
            "ref-moved-ambiguous",
            `@${read.path}: ${writtenDir} does not exist and ${t.ambiguous.length} phase directories carry its name (${t.ambiguous.join(", ")}); not used for dependencies`,
            where,
          ),
        );
        continue;
      }
      const reason: EdgeReason = { kind: t.summary ? "summary-ref" : "plan-ref", file: read.path, line: read.line };
      if (read.rebased === true) reason.via = "foreign-root";
      if (t.movedTo !== undefined) {
        reason.via = "moved-phase";
        const m = moved.get(writtenDir);
        if (m) m.plans.add(w.id);
        else moved.set(writtenDir, { movedTo: t.movedTo, where, plans: new Set([w.id]) });
      }
      if (t.local !== undefined) {
        if (t.local !== w.id) explicit.add(t.local, w.id, reason);
      } else if (t.plan && t.phase) {
        addExternal(t.plan, w, reason, t.phase);
      }
    }
  }

  for (const [dir, m] of moved) {
    const n = m.plans.size;
    diagnostics.push(
      diagnostic(
        "info",
        "ref-moved-phase",
        `@-references into ${dir}, which does not exist, are read in ${m.movedTo} (the phase directory of that name; ${n} plan${n === 1 ? "" : "s"})`,
        m.where,
      ),
    );
  }
  return { explicit, external: [...external.values()] };
}
