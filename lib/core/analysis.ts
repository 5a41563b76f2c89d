import { type Diagnostic, diagnostic, sortDiagnostics } from "./diagnostic";
import { type LocalPlan, resolveDependency } from "./depends";
import { type EdgeReason, EdgeSet, inferFileEdges } from "./edges";
import { estimateMinutes } from "./estimate";
import { type PlanDoc, parsePlanDoc } from "./plan-doc";
import { Adjacency, buildGraph, criticalPath, findCycles, hasBackEdge, topoOrder, waveLevels } from "./plan-graph";
import { type PhaseListing, type PlanFileRef, type PlanningTree, phaseFiles, summaryFor } from "./planning-tree";
import { parseSummary } from "./summary";
import { lintWriteConflicts } from "./write-conflicts";
import { refTargets } from "./ref-targets";

export type PlanStatus = "complete" | "pending";

export interface AnalyzedPlan {
  id: string;
  file: string;
  stem: string;
  planToken?: string;
  status: PlanStatus;
  summaryFile?: string;
  wave: number;
  declaredWave?: number;
  /** Direct prerequisites after analysis: same-phase ids, then other phases' ids. */
  dependsOn: string[];
  /** `depends_on` exactly as written. */
  declaredDependsOn: string[];
  /** False when the plan says `autonomous: false` or has checkpoint tasks: it needs a person. */
  autonomous: boolean;
  checkpoints: string[];
  durationMinutes: number;
  durationSource: "summary" | "estimate";
  taskCount: number;
  filesModified: string[];
  readable: boolean;
}

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

export interface PhaseAnalysis {
  phase: Pick<PhaseListing, "dir" | "name" | "number" | "container" | "active">;
  plans: AnalyzedPlan[];
  edges: AnalyzedEdge[];
  waves: string[][];
  criticalPath: string[];
  criticalPathMinutes: number;
  cycles: string[][];
  diagnostics: Diagnostic[];
}

export interface AnalysisInput {
  tree: PlanningTree;
  phase: PhaseListing;
  /** Text of the phase's plan and summary files by project-relative path; missing = unreadable. */
  texts: ReadonlyMap<string, string>;
  projectRootAbs?: string;
}

interface Work {
  ref: PlanFileRef;
  id: string;
  doc: PlanDoc | undefined;
  summary: PlanFileRef | undefined;
  duration?: number;
}

/** Gives every plan a unique short id: a repeated id falls back to the file stem, then the path. */
function assignIds(refs: readonly PlanFileRef[], diagnostics: Diagnostic[]): string[] {
  const used = new Set<string>();
  return refs.map((ref) => {
    let id = ref.id;
    if (used.has(id)) {
      const alt = [ref.stem, ref.file].find((c) => c !== "" && !used.has(c)) ?? ref.file;
      diagnostics.push(diagnostic("warning", "plan-duplicate-id", `another plan in this phase is already '${id}'; this one is called '${alt}'`, { file: ref.file }));
      id = alt;
    }
    used.add(id);
    return id;
  });
}

export function analyzePhase(input: AnalysisInput): PhaseAnalysis {
  const { tree, phase, texts } = input;
  const diagnostics: Diagnostic[] = [];
  const files = phaseFiles(phase);
  const ids = assignIds(files.plans, diagnostics);
  const work: Work[] = files.plans.map((ref, i) => {
    const text = texts.get(ref.file);
    const doc = text === undefined ? undefined : parsePlanDoc(text, ref.file, input.projectRootAbs);
    if (doc) diagnostics.push(...doc.diagnostics);
    else diagnostics.push(diagnostic("error", "plan-unreadable", "the plan file could not be read", { file: ref.file }));
    const summary = summaryFor(ref, files.summaries);
    const w: Work = { ref, id: ids[i] as string, doc, summary };
    const summaryText = summary ? texts.get(summary.file) : undefined;
    if (summary && summaryText !== undefined) {
      const info = parseSummary(summaryText, summary.file);
      diagnostics.push(...info.diagnostics);
      if (info.durationMinutes !== undefined) w.duration = info.durationMinutes;
    }
    return w;
  });
  if (work.length === 0) diagnostics.push(diagnostic("warning", "phase-no-plans", `no PLAN.md files in ${phase.dir}`, { file: phase.dir }));

  const byId = new Map(work.map((w) => [w.id, w]));
  const locals: LocalPlan[] = work.map((w) => (w.ref.planToken === undefined ? { id: w.id, stem: w.ref.stem } : { id: w.id, stem: w.ref.stem, planToken: w.ref.planToken }));
  const explicit = new EdgeSet();
  const external = new Map<string, AnalyzedEdge>();
  const addExternal = (plan: PlanFileRef, to: Work, reason: EdgeReason, target: PhaseListing) => {
    const key = `${plan.file}\u0000${to.id}`;
    let e = external.get(key);
    if (!e) {
      const satisfied = summaryFor(plan, phaseFiles(target).summaries) !== undefined;
      e = { from: plan.id, to: to.id, fromFile: plan.file, toFile: to.ref.file, external: true, satisfied, reasons: [] };
      external.set(key, e);
      if (!satisfied) {
        diagnostics.push(diagnostic("warning", "cross-phase-pending", `${to.id} needs ${plan.id} from ${target.dir}, which has no SUMMARY.md yet: it stays blocked until that plan is complete`, { file: to.ref.file, line: reason.line }));
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
      else if (r.kind === "self") diagnostics.push(diagnostic("warning", "depends-self", `${w.id} lists itself in depends_on ('${dep.value}'); ignored`, where));
      else if (r.kind === "ambiguous") {
        // Uncertain means sequential: wait for every plan the entry could mean.
        for (const id of r.ids) if (id !== w.id) explicit.add(id, w.id, { kind: "declared", line: dep.line });
        diagnostics.push(diagnostic("warning", "depends-ambiguous", `depends_on '${dep.value}' matches ${r.ids.join(", ")}; waiting for all of them`, where));
      } else diagnostics.push(diagnostic("error", "depends-unresolved", `depends_on '${dep.value}' does not name any plan in this phase or another`, where));
    }
  }

  const targets = refTargets(work.map((w) => ({ id: w.id, ref: w.ref })), tree);
  for (const w of work) {
    for (const read of w.doc?.reads ?? []) {
      const t = targets.lookup(read.path);
      if (!t) continue;
      const reason: EdgeReason = { kind: t.summary ? "summary-ref" : "plan-ref", file: read.path, line: read.line };
      if (t.local !== undefined) {
        if (t.local !== w.id) explicit.add(t.local, w.id, reason);
      } else if (t.plan && t.phase) {
        addExternal(t.plan, w, reason, t.phase);
      }
    }
  }

  const order = work.map((w) => w.id);
  const explicitEdges = explicit.list();
  const g1 = new Adjacency({ order, edges: explicitEdges });
  const topo1 = topoOrder(g1, order);
  // A topological order that cannot place every plan means a cycle: only then is graphlib's
  // cycle search run, on the authored edges alone so the named cycle is the authors'.
  const cycles = !hasBackEdge(g1, topo1) ? [] : findCycles(buildGraph({ order, edges: explicitEdges }), order);
  for (const c of cycles) {
    const first = byId.get(c[0] ?? "");
    diagnostics.push(diagnostic("error", "cycle", `dependency cycle: ${c.join(" -> ")}`, first ? { file: first.ref.file } : {}));
  }
  const all = new EdgeSet();
  for (const e of explicit.list()) for (const r of e.reasons) all.add(e.from, e.to, r);
  const conflicts = inferFileEdges(
    work.map((w) => ({ id: w.id, writes: w.doc?.filesModified ?? [], reads: w.doc?.reads ?? [] })),
    topo1,
    all,
  );
  diagnostics.push(...lintWriteConflicts(conflicts, g1, topo1, (id) => byId.get(id)?.ref.file, (id) => byId.get(id)?.doc?.keyLines.files_modified));

  const g = buildGraph({ order, edges: all.list() });
  const topo = topoOrder(g, order);
  const waveOf = waveLevels(g, topo);
  const durationOf = (w: Work) => w.duration ?? (w.doc ? estimateMinutes(w.doc) : 0);
  const cp = criticalPath(g, topo, (id) => {
    const w = byId.get(id);
    return w ? durationOf(w) : 0;
  });

  const edgesOut: AnalyzedEdge[] = all.list().map((e) => ({
    from: e.from,
    to: e.to,
    fromFile: byId.get(e.from)?.ref.file ?? "",
    toFile: byId.get(e.to)?.ref.file ?? "",
    external: false,
    reasons: e.reasons,
  }));
  edgesOut.push(...external.values());
  const prereqs = new Map<string, string[]>();
  for (const e of edgesOut) prereqs.set(e.to, [...(prereqs.get(e.to) ?? []), e.from]);

  const plans: AnalyzedPlan[] = work.map((w) => {
    const doc = w.doc;
    const p: AnalyzedPlan = {
      id: w.id,
      file: w.ref.file,
      stem: w.ref.stem,
      status: w.summary ? "complete" : "pending",
      wave: waveOf.get(w.id) ?? 1,
      dependsOn: prereqs.get(w.id) ?? [],
      declaredDependsOn: (doc?.dependsOn ?? []).map((d) => d.value),
      autonomous: doc !== undefined && doc.autonomous !== false && doc.checkpoints.length === 0,
      checkpoints: doc?.checkpoints ?? [],
      durationMinutes: Math.round(durationOf(w) * 10) / 10,
      durationSource: w.duration !== undefined ? "summary" : "estimate",
      taskCount: doc?.tasks.length ?? 0,
      filesModified: (doc?.filesModified ?? []).map((f) => f.path),
      readable: doc !== undefined,
    };
    if (w.ref.planToken !== undefined) p.planToken = w.ref.planToken;
    if (w.summary) p.summaryFile = w.summary.file;
    if (doc?.wave !== undefined) {
      p.declaredWave = doc.wave;
      if (doc.wave !== p.wave) {
        diagnostics.push(diagnostic("warning", "wave-mismatch", `declares wave ${doc.wave}, but its dependencies put it in wave ${p.wave}; gsd-async schedules by dependencies, not by the declared wave`, { file: w.ref.file, line: doc.keyLines.wave }));
      }
    }
    return p;
  });

  const waves: string[][] = [];
  for (const p of plans) (waves[p.wave - 1] ??= []).push(p.id);
  return {
    phase: pickPhase(phase),
    plans,
    edges: edgesOut,
    waves: waves.map((w) => w ?? []),
    criticalPath: cp.path,
    criticalPathMinutes: Math.round(cp.minutes * 10) / 10,
    cycles,
    diagnostics: sortDiagnostics(diagnostics),
  };
}

function pickPhase(p: PhaseListing): PhaseAnalysis["phase"] {
  const out: PhaseAnalysis["phase"] = { dir: p.dir, name: p.name, container: p.container, active: p.active };
  if (p.number !== undefined) out.number = p.number;
  return out;
}
