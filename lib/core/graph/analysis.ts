import { type Diagnostic, diagnostic, sortDiagnostics } from "../common/diagnostic";
import { displayName, nameProblem } from "../common/safe-name";
import { bounded } from "../common/echo";

/** `depends_on` values are echoed as written, up to this length (longer ones never resolve). */
const DECLARED_LIMIT = 200;
import { type AnalyzedEdge, authoredEdges } from "./authored-edges";
import { EdgeSet, inferFileEdges } from "./edges";

export type { AnalyzedEdge };
import { estimateMinutes } from "../plan/estimate";
import { type PlanDoc, parsePlanDoc } from "../plan/plan-doc";
import { EMPTY_PLAN_SIZE, type PlanSize, planSize } from "../plan/plan-size";
import { Adjacency, buildGraph, criticalPath, findCycles, hasBackEdge, topoOrder, waveLevels } from "./plan-graph";
import { type PhaseListing, type PlanFileRef, type PlanningTree, phaseFiles, summaryFor } from "../plan/planning-tree";
import { type SummaryOutcome, parseSummary } from "../plan/summary";
import { lintWriteConflicts } from "./write-conflicts";
import { inferProseEdges } from "./prose-edges";
import { resolveForeignPaths } from "./foreign-edges";

/**
 * - `complete`: it has a SUMMARY.md (that does not say otherwise);
 * - `pending`: no SUMMARY.md yet;
 * - `halted`: its SUMMARY.md says `status: halted`: it stopped before its work was done, it is
 *   not complete and its dependents wait for a person;
 * - `superseded`: its SUMMARY.md says `status: superseded`: retired, not work, never blocks.
 */
export type PlanStatus = "complete" | "pending" | "halted" | "superseded";

/** A plan nothing more is expected of: its dependents may go ahead. */
export const isSettled = (p: Pick<AnalyzedPlan, "status">): boolean => p.status === "complete" || p.status === "superseded";

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
  /** How much work the plan is (token sizing), from the text the analysis already read. */
  size: PlanSize;
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
  /**
   * Project-relative paths known to exist, for recognising the project root in paths written on
   * another machine (see foreign-paths); optional.
   */
  projectFiles?: ReadonlySet<string>;
}

interface Work {
  ref: PlanFileRef;
  id: string;
  doc: PlanDoc | undefined;
  size: PlanSize;
  summary: PlanFileRef | undefined;
  duration?: number;
  outcome?: SummaryOutcome;
}

/** Gives every plan a unique short id: a repeated id falls back to the file stem, then the path. */
function assignIds(refs: readonly PlanFileRef[], diagnostics: Diagnostic[]): string[] {
  const used = new Set<string>();
  return refs.map((ref) => {
    let id = ref.id;
    if (used.has(id)) {
      const alt = [ref.stem, ref.file].find((c) => c !== "" && !used.has(c)) ?? ref.file;
      diagnostics.push(
        diagnostic("warning", "plan-duplicate-id", `another plan in this phase is already '${id}'; this one is called '${alt}'`, { file: ref.file }),
      );
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
  diagnostics.push(...unsafeNames(phase, [...files.plans, ...files.summaries]), ...outsideLinks(phase));
  const ids = assignIds(files.plans, diagnostics);
  const work: Work[] = files.plans.map((ref, i) => {
    const text = texts.get(ref.file);
    const doc = text === undefined ? undefined : parsePlanDoc(text, ref.file, input.projectRootAbs);
    if (doc) diagnostics.push(...doc.diagnostics);
    else diagnostics.push(diagnostic("error", "plan-unreadable", "the plan file could not be read", { file: ref.file }));
    const summary = summaryFor(ref, files.summaries);
    const w: Work = { ref, id: ids[i] as string, doc, size: doc && text !== undefined ? planSize(doc, text) : EMPTY_PLAN_SIZE, summary };
    const summaryText = summary ? texts.get(summary.file) : undefined;
    if (summary && summaryText !== undefined) {
      const info = parseSummary(summaryText, summary.file);
      diagnostics.push(...info.diagnostics);
      if (info.durationMinutes !== undefined) w.duration = info.durationMinutes;
      if (info.outcome !== undefined) w.outcome = info.outcome;
    }
    return w;
  });
  if (work.length === 0) diagnostics.push(diagnostic("warning", "phase-no-plans", `no PLAN.md files in ${phase.dir}`, { file: phase.dir }));

  const byId = new Map(work.map((w) => [w.id, w]));
  const foreign = resolveForeignPaths(
    work.map((w) => ({ id: w.id, file: w.ref.file, doc: w.doc })),
    tree,
    input.projectFiles,
    diagnostics,
  );
  // References written under the author's root (`@C:/proj/.planning/...`) count like any other.
  const authored = work.map((w) => {
    const extra = foreign.rebasedReads.get(w.id);
    return extra && w.doc ? { ...w, doc: { ...w.doc, reads: [...w.doc.reads, ...extra] } } : w;
  });
  const { explicit, external } = authoredEdges(authored, phase, tree, diagnostics);

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
  inferProseEdges(
    work.map((w) =>
      w.ref.planToken === undefined ? { id: w.id, mentions: w.doc?.mentions ?? [] } : { id: w.id, planToken: w.ref.planToken, mentions: w.doc?.mentions ?? [] },
    ),
    phase.number,
    topo1,
    all,
  );
  const conflicts = inferFileEdges(foreign.plans, topo1, all, { rebased: foreign.rebased });
  for (const g of foreign.asWritten) conflicts.push(...inferFileEdges(g.plans, topo1, all, { via: "foreign-path", display: (p) => g.head + p }));
  diagnostics.push(
    ...lintWriteConflicts(
      conflicts,
      g1,
      topo1,
      (id) => byId.get(id)?.ref.file,
      (id) => byId.get(id)?.doc?.keyLines.files_modified,
    ),
  );

  // Ordering, waves and the critical path only read adjacency; graphlib (which costs several
  // microseconds per edge to build) is kept for what it is for: finding and naming cycles above,
  // and the graphs drawn by `graph`.
  const g = new Adjacency({ order, edges: all.list() });
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
  edgesOut.push(...external);
  const prereqs = new Map<string, string[]>();
  for (const e of edgesOut) prereqs.set(e.to, [...(prereqs.get(e.to) ?? []), e.from]);

  const plans: AnalyzedPlan[] = work.map((w) => {
    const doc = w.doc;
    const p: AnalyzedPlan = {
      id: w.id,
      file: w.ref.file,
      stem: w.ref.stem,
      status: w.summary ? (w.outcome ?? "complete") : "pending",
      wave: waveOf.get(w.id) ?? 1,
      dependsOn: prereqs.get(w.id) ?? [],
      declaredDependsOn: (doc?.dependsOn ?? []).map((d) => bounded(d.value, DECLARED_LIMIT)),
      autonomous: doc !== undefined && doc.autonomous !== false && doc.checkpoints.length === 0,
      checkpoints: doc?.checkpoints ?? [],
      durationMinutes: Math.round(durationOf(w) * 10) / 10,
      durationSource: w.duration !== undefined ? "summary" : "estimate",
      taskCount: doc?.tasks.length ?? 0,
      filesModified: (doc?.filesModified ?? []).map((f) => f.path),
      readable: doc !== undefined,
      size: w.size,
    };
    if (w.ref.planToken !== undefined) p.planToken = w.ref.planToken;
    if (w.summary) p.summaryFile = w.summary.file;
    if (doc?.wave !== undefined) {
      p.declaredWave = doc.wave;
      if (doc.wave !== p.wave) {
        diagnostics.push(
          diagnostic(
            "warning",
            "wave-mismatch",
            `declares wave ${doc.wave}, but its dependencies put it in wave ${p.wave}; gsd-async schedules by dependencies, not by the declared wave`,
            { file: w.ref.file, line: doc.keyLines.wave },
          ),
        );
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

/** Names that may not reach a prompt or a command line (see common/safe-name): one error each. */
function unsafeNames(phase: PhaseListing, refs: readonly PlanFileRef[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const dirProblem = nameProblem(phase.dir);
  if (dirProblem !== undefined)
    out.push(
      diagnostic("error", "name-unsafe", `the phase directory name ${displayName(phase.dir)} contains ${dirProblem}: rename it before running the phase`, {
        file: phase.dir,
      }),
    );
  for (const ref of refs) {
    const name = ref.file.slice(ref.phaseDir.length + 1);
    const problem = nameProblem(name);
    if (problem !== undefined)
      out.push(
        diagnostic("error", "name-unsafe", `the file name ${displayName(name)} contains ${problem}: rename it before running the phase`, { file: ref.file }),
      );
  }
  return out;
}

/** Plan or summary files of the phase that link outside the project: never read, always said. */
function outsideLinks(phase: PhaseListing): Diagnostic[] {
  return (phase.outsideLinks ?? [])
    .filter((name) => /(?:PLAN|SUMMARY)\.md$/.test(name))
    .map((name) =>
      diagnostic("error", "link-outside-project", `${displayName(name)} is a symbolic link to a file outside the project; it is not read`, {
        file: `${phase.dir}/${name}`,
      }),
    );
}

function pickPhase(p: PhaseListing): PhaseAnalysis["phase"] {
  const out: PhaseAnalysis["phase"] = { dir: p.dir, name: p.name, container: p.container, active: p.active };
  if (p.number !== undefined) out.number = p.number;
  return out;
}
