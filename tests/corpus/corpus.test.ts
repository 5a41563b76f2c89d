/**
 * Corpus test: every phase of every real `.planning/` tree in ../shared/corpus is analysed, and
 * the results are checked against what the files themselves say. The checks here read the
 * corpus with their own simple code (file discovery, `depends_on` entries, strongly connected
 * components) so that they do not just repeat the library's answers back to it.
 *
 * The corpus is read-only and lives beside the project; CI always has it, so its absence fails.
 *
 * Analysing the whole corpus is the expensive part (seconds), so this file does it once and
 * also runs the other checks that need every phase's analysis on it: the `--brief` sizes
 * (`brief-size.ts`) and the GitHub Actions export (`export-corpus.ts`).
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, posix, resolve } from "node:path";
import { type PhaseAnalysis, analyzePhase } from "../../lib/core/graph/analysis";
import { phaseFiles } from "../../lib/core/plan/planning-tree";
import { simulateScheduler } from "../../lib/core/schedule/simulate";
import { stripOrder } from "../helpers/strip-order";
import { DIAGNOSTIC_CODES, type Diagnostic } from "../../lib/core/common/diagnostic";
import type { EdgeKind } from "../../lib/core/graph/edges";
import { loadTree } from "../../lib/shell/load-tree";
import { analyzeProjectPhase, openProject } from "../../lib/shell/project";
import { CORPUS } from "../helpers/corpus-path";
import { briefSizeTests } from "./brief-size";
import type { CorpusPhase } from "./corpus-phase";
import { exportCorpusTests } from "./export-corpus";

/** Same-phase reasons a person wrote down; the others are inferred from files. */
const EXPLICIT: ReadonlySet<EdgeKind> = new Set<EdgeKind>(["declared", "plan-ref", "summary-ref"]);
const INFERRED: ReadonlySet<EdgeKind> = new Set<EdgeKind>(["read-after-write", "write-conflict", "prose"]);
const DEPENDS_CODES: ReadonlySet<string> = new Set(["depends-unresolved", "depends-self", "depends-ambiguous"]);
/** The only diagnostic that is about a choice on the command line, not about a file. */
const FILELESS_CODES: ReadonlySet<string> = new Set(["phase-ambiguous"]);

interface PhaseRun {
  project: string;
  root: string;
  dir: string;
  analysis?: PhaseAnalysis;
  /** The same phase analysed with `depends_on` and `wave` stripped from every plan (in memory). */
  stripped?: PhaseAnalysis;
  error?: string;
}

interface CorpusRun {
  projects: string[];
  runs: PhaseRun[];
  /** Every `*PLAN.md` in a phase directory, as `project\u0000relative path`. */
  planFiles: string[];
  ms: number;
}

// ---------------------------------------------------------------------------------------------
// Independent readers of the corpus
// ---------------------------------------------------------------------------------------------

function dirs(abs: string): string[] {
  return readdirSync(abs, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("."))
    .map((e) => e.name);
}

/** `*PLAN.md` files directly inside a phase directory (a child of `phases/` or `*-phases/`). */
function findPlanFiles(projectRoot: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const name of dirs(join(projectRoot, rel))) {
      const childRel = `${rel}/${name}`;
      if (name === "phases" || name.endsWith("-phases")) {
        for (const phase of dirs(join(projectRoot, childRel))) {
          const phaseRel = `${childRel}/${phase}`;
          for (const e of readdirSync(join(projectRoot, phaseRel), { withFileTypes: true })) {
            if (e.isFile() && e.name.endsWith("PLAN.md")) out.push(`${phaseRel}/${e.name}`);
          }
        }
      } else {
        walk(childRel);
      }
    }
  };
  walk(".planning");
  return out.sort();
}

interface RawDepends {
  values: string[];
}

function unquote(s: string): string {
  return s
    .trim()
    .replace(/^(["'`])(.*)\1$/, "$2")
    .trim();
}

function stripComment(s: string): string {
  return s.replace(/\s+#.*$/, "").trim();
}

/**
 * The `depends_on` entries of a plan's front matter, read line by line: inline `[a, b]` (also
 * spread over several lines), a block list of `- item` lines, or a scalar. `undefined` when the
 * plan has no front matter or no `depends_on` key.
 */
function rawDependsOn(text: string): RawDepends | undefined {
  const lines = text.split("\n").map((l) => l.replace(/\r$/, ""));
  let i = 0;
  while (i < lines.length && ((lines[i] ?? "").trim() === "" || /^#{1,6}\s/.test(lines[i] ?? ""))) i++;
  if (!/^---\s*$/.test(lines[i] ?? "")) return undefined;
  let end = i + 1;
  while (end < lines.length && !/^(---|\.\.\.)\s*$/.test(lines[end] ?? "")) end++;
  if (end >= lines.length) return undefined;
  const block = lines.slice(i + 1, end);
  const k = block.findIndex((l) => /^depends_on\s*:/.test(l));
  if (k < 0) return undefined;
  const first = stripComment((block[k] ?? "").replace(/^depends_on\s*:/, ""));
  if (first.startsWith("[")) {
    let flow = first;
    for (let j = k + 1; !flow.includes("]") && j < block.length; j++) flow += ` ${stripComment(block[j] ?? "")}`;
    const inner = flow.slice(1, flow.lastIndexOf("]") < 0 ? flow.length : flow.lastIndexOf("]"));
    return {
      values: inner
        .split(",")
        .map(unquote)
        .filter((v) => v !== ""),
    };
  }
  if (first !== "") {
    if (/^(null|~|none|\[\])$/i.test(first)) return { values: [] };
    return {
      values: unquote(first)
        .split(",")
        .map(unquote)
        .filter((v) => v !== ""),
    };
  }
  const values: string[] = [];
  for (let j = k + 1; j < block.length; j++) {
    const line = block[j] ?? "";
    if (/^[A-Za-z_][\w-]*\s*:/.test(line)) break;
    const item = /^\s*-\s+(.*)$/.exec(line);
    if (item) {
      const v = unquote(stripComment(item[1] ?? ""));
      if (v !== "") values.push(v);
    }
  }
  return { values };
}

/** Numbers without padding, lower case: `02.1-03` and `2.1-3` compare equal. */
function norm(s: string): string {
  return s.toLowerCase().replace(/\d+/g, (n) => String(Number(n)));
}

/** The plan-naming part of a `depends_on` value, without quotes, notes, suffixes or directories. */
function entryToken(value: string): string {
  let v = unquote(value);
  v = (v.split(/\s+#|\s+\(|\s+[\u2014\u2013-]\s|:\s/)[0] ?? v).trim().replace(/[,;:]+$/, "");
  v = v.replace(/-(PLAN|SUMMARY)\.md$/i, "").replace(/\.md$/i, "");
  return (
    v
      .split("/")
      .filter((s) => s !== "")
      .pop() ?? v
  );
}

/** Whether the plan `id`/`file` is a plausible target of a `depends_on` token. */
function namesPlan(token: string, id: string, file: string): boolean {
  const t = norm(token);
  const stem = norm(posix.basename(file).replace(/-?PLAN\.md$/, ""));
  const i = norm(id);
  // A bare plan number names `NN-01` or, for dotted plan files (`04.3-PLAN.md`), `04.3`.
  const tail = (s: string) => s.endsWith(`-${t}`) || (/^\d+[a-z]?$/.test(t) && s.endsWith(`.${t}`));
  return t === i || t === stem || stem.startsWith(`${t}-`) || tail(i) || tail(stem);
}

/** Strongly connected components (Tarjan, iterative) of the phase's same-phase edges. */
function components(nodes: readonly string[], edges: readonly { from: string; to: string }[]): Map<string, number> {
  const succ = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const e of edges) succ.get(e.from)?.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const comp = new Map<string, number>();
  let counter = 0;
  let compCount = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const top = work[work.length - 1] as { node: string; next: number };
      const out = succ.get(top.node) ?? [];
      if (top.next < out.length) {
        const w = out[top.next++] as string;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(top.node, Math.min(low.get(top.node) as number, index.get(w) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(top.node) as number));
      if (low.get(top.node) === index.get(top.node)) {
        for (;;) {
          const w = stack.pop() as string;
          onStack.delete(w);
          comp.set(w, compCount);
          if (w === top.node) break;
        }
        compCount++;
      }
    }
  }
  return comp;
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

function readOrUndefined(abs: string): string | undefined {
  try {
    return readFileSync(abs, "utf8");
  } catch {
    return undefined;
  }
}

function runCorpus(): CorpusRun {
  if (!existsSync(CORPUS)) {
    throw new Error(
      `corpus not found at ${CORPUS}: the corpus test needs ../shared/corpus beside the project root ` +
        "(CI always provides it; this test fails rather than skips without it)",
    );
  }
  const started = performance.now();
  const projects = dirs(CORPUS).filter((name) => existsSync(join(CORPUS, name, ".planning")));
  const runs: PhaseRun[] = [];
  const planFiles: string[] = [];
  for (const project of projects) {
    const root = join(CORPUS, project);
    for (const f of findPlanFiles(root)) planFiles.push(`${project}\u0000${f}`);
    const tree = loadTree(root);
    const opened = openProject(root);
    if (!opened.ok) {
      runs.push({ project, root, dir: ".planning", error: `openProject failed: ${opened.reason}` });
      continue;
    }
    if (resolve(opened.project.root) !== resolve(root)) {
      runs.push({ project, root, dir: ".planning", error: `openProject found ${opened.project.root}, not ${root}` });
      continue;
    }
    for (const phase of tree.phases) {
      // The tree from openProject is the one the analysis runs on; loadTree is asserted equal to it.
      const listing = opened.project.tree.phases.find((p) => p.dir === phase.dir);
      if (!listing) {
        runs.push({ project, root, dir: phase.dir, error: "phase listed by loadTree but not by openProject" });
        continue;
      }
      try {
        const texts = new Map<string, string>();
        const files = phaseFiles(listing);
        for (const f of [...files.plans, ...files.summaries]) {
          const text = readOrUndefined(join(root, f.file));
          if (text !== undefined) texts.set(f.file, f.kind === "plan" ? stripOrder(text) : text);
        }
        const stripped = analyzePhase({ tree: opened.project.tree, phase: listing, texts, projectRootAbs: opened.project.root });
        runs.push({ project, root, dir: phase.dir, analysis: analyzeProjectPhase(opened.project, listing), stripped });
      } catch (err) {
        runs.push({ project, root, dir: phase.dir, error: String((err as Error)?.stack ?? err) });
      }
    }
  }
  return { projects, runs, planFiles, ms: performance.now() - started };
}

/** Freezes an analysis all the way down, so that no check can change what a later one reads. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

// At collection time rather than in beforeAll: the export checks are one test per phase.
const corpus: CorpusRun = runCorpus();
for (const run of corpus.runs) {
  deepFreeze(run.analysis);
  deepFreeze(run.stripped);
}

const analysed = (): { run: PhaseRun; a: PhaseAnalysis }[] => corpus.runs.flatMap((run) => (run.analysis ? [{ run, a: run.analysis }] : []));

/** Fails with every problem listed (up to a limit), not just the first one. */
function expectNone(problems: string[], what: string): void {
  if (problems.length === 0) return;
  const shown = problems.slice(0, 40).join("\n  ");
  throw new Error(`${problems.length} ${what}:\n  ${shown}${problems.length > 40 ? "\n  ..." : ""}`);
}

describe("corpus: real .planning trees", () => {
  it("finds the corpus with projects, phases and plans in it", () => {
    expect(corpus.projects.length).toBeGreaterThan(0);
    expect(corpus.runs.length).toBeGreaterThan(0);
    expect(corpus.planFiles.length).toBeGreaterThan(0);
  });

  it("analyses every phase of every project without an exception", () => {
    expectNone(
      corpus.runs.filter((r) => r.error !== undefined).map((r) => `${r.project} ${r.dir}: ${r.error}`),
      "phases failed to analyse",
    );
  });

  it("loads every PLAN.md in a phase directory as a plan, or names it in a diagnostic", () => {
    const seen = new Set<string>();
    for (const { run, a } of analysed()) {
      for (const p of a.plans) seen.add(`${run.project}\u0000${p.file}`);
      for (const d of a.diagnostics) if (d.file !== undefined) seen.add(`${run.project}\u0000${d.file}`);
    }
    expectNone(
      corpus.planFiles.filter((f) => !seen.has(f)).map((f) => f.replace("\u0000", ": ")),
      "PLAN.md files neither analysed nor named in a diagnostic",
    );
  });

  it("gives every diagnostic a severity, a known code, a message, and the file it is about", () => {
    const problems: string[] = [];
    const codes = new Set<string>(DIAGNOSTIC_CODES);
    for (const { run, a } of analysed()) {
      for (const d of a.diagnostics) {
        const where = `${run.project} ${a.phase.dir}: ${JSON.stringify(d)}`;
        if (!["error", "warning", "info"].includes(d.severity)) problems.push(`bad severity: ${where}`);
        if (!codes.has(d.code)) problems.push(`unknown code: ${where}`);
        if (typeof d.message !== "string" || d.message.trim() === "") problems.push(`empty message: ${where}`);
        if (d.file === undefined) {
          if (!FILELESS_CODES.has(d.code)) problems.push(`no file: ${where}`);
        } else if (d.file.startsWith("/") || d.file.includes("\\") || !existsSync(join(run.root, d.file))) {
          problems.push(`file is not an existing project-relative path: ${where}`);
        }
        if (d.line !== undefined && !(Number.isInteger(d.line) && d.line >= 1)) problems.push(`bad line: ${where}`);
      }
    }
    expectNone(problems, "malformed diagnostics");
  });

  it("respects every resolved same-phase declared dependency in the computed waves", () => {
    const problems: string[] = [];
    for (const { run, a } of analysed()) {
      const wave = new Map(a.plans.map((p) => [p.id, p.wave]));
      const internal = a.edges.filter((e) => !e.external);
      const comp = components(
        a.plans.map((p) => p.id),
        internal,
      );
      const onReportedCycle = (x: string, y: string) => comp.get(x) === comp.get(y) && a.cycles.some((c) => c.includes(x) || c.includes(y));
      for (const e of internal) {
        if (!e.reasons.some((r) => r.kind === "declared")) continue;
        const wf = wave.get(e.from);
        const wt = wave.get(e.to);
        if (wf === undefined || wt === undefined) {
          problems.push(`${run.project} ${a.phase.dir}: declared edge ${e.from} -> ${e.to} names a plan that is not in the analysis`);
        } else if (!(wf < wt) && !onReportedCycle(e.from, e.to)) {
          problems.push(`${run.project} ${e.toFile}: depends on ${e.from} (wave ${wf}) but is put in wave ${wt}`);
        }
      }
    }
    expectNone(problems, "declared dependencies violated by the computed order");
  });

  it("orders every same-phase edge of any reason by wave (outside reported cycles)", () => {
    const problems: string[] = [];
    for (const { run, a } of analysed()) {
      const wave = new Map(a.plans.map((p) => [p.id, p.wave]));
      const internal = a.edges.filter((e) => !e.external);
      const comp = components(
        a.plans.map((p) => p.id),
        internal,
      );
      for (const e of internal) {
        if (comp.get(e.from) === comp.get(e.to)) continue;
        const wf = wave.get(e.from) ?? NaN;
        const wt = wave.get(e.to) ?? NaN;
        if (!(wf < wt))
          problems.push(`${run.project} ${a.phase.dir}: ${e.from} (wave ${wf}) -> ${e.to} (wave ${wt}) [${e.reasons.map((r) => r.kind).join(",")}]`);
      }
      const listed = a.waves.flat();
      if (listed.length !== a.plans.length || new Set(listed).size !== listed.length) {
        problems.push(`${run.project} ${a.phase.dir}: waves[] does not list every plan exactly once`);
      }
      a.waves.forEach((ids, i) => {
        for (const id of ids) if (wave.get(id) !== i + 1) problems.push(`${run.project} ${a.phase.dir}: ${id} is in waves[${i}] but has wave ${wave.get(id)}`);
      });
    }
    expectNone(problems, "edges out of wave order");
  });

  it("turns every depends_on entry into an edge or a diagnostic naming the file, never dropping one", () => {
    const problems: string[] = [];
    for (const { run, a } of analysed()) {
      for (const p of a.plans) {
        const diags = a.diagnostics.filter((d) => d.file === p.file);
        const unreadFrontMatter = diags.some(
          (d) => d.severity === "error" && (d.code === "frontmatter-unsafe-engine" || (d.code === "frontmatter-invalid" && /not a key: value/.test(d.message))),
        );
        // (a) The library saw as many entries as the file has.
        let text: string | undefined;
        try {
          text = readFileSync(join(run.root, p.file), "utf8");
        } catch {
          text = undefined;
        }
        const raw = text === undefined ? undefined : rawDependsOn(text);
        const rawCount = raw?.values.length ?? 0;
        if (rawCount !== p.declaredDependsOn.length && !(unreadFrontMatter && p.declaredDependsOn.length === 0)) {
          problems.push(
            `${run.project} ${p.file}: depends_on has ${rawCount} entries [${raw?.values.join(", ") ?? ""}] but the analysis read ${p.declaredDependsOn.length} [${p.declaredDependsOn.join(", ")}]`,
          );
        }
        // (b) Each entry read is accounted for by an edge into the plan or a depends-* diagnostic.
        const incoming = a.edges.filter(
          (e) => e.to === p.id && e.toFile === p.file && e.reasons.some((r) => r.kind === "declared" || r.kind === "cross-phase"),
        );
        for (const value of p.declaredDependsOn) {
          const diagnosed = diags.some((d: Diagnostic) => DEPENDS_CODES.has(d.code) && d.message.includes(`'${value}'`));
          const token = entryToken(value);
          const edged = incoming.some((e) => namesPlan(token, e.from, e.fromFile));
          if (!diagnosed && !edged) {
            problems.push(
              `${run.project} ${p.file}: depends_on '${value}' produced no edge and no depends-* diagnostic (incoming: ${incoming.map((e) => e.from).join(", ") || "none"})`,
            );
          }
        }
      }
    }
    expectNone(problems, "depends_on entries silently dropped");
  });

  it("marks an edge external exactly when its prerequisite is a plan file of another phase", () => {
    const problems: string[] = [];
    for (const { run, a } of analysed()) {
      const own = new Set(a.plans.map((p) => p.file));
      for (const e of a.edges) {
        const fromDir = posix.dirname(e.fromFile);
        const where = `${run.project} ${e.toFile}: ${e.from} -> ${e.to} [${e.reasons.map((r) => r.kind).join(",")}]`;
        if (!own.has(e.toFile)) problems.push(`${where}: the dependent is not a plan of ${a.phase.dir}`);
        if (e.external) {
          if (fromDir === a.phase.dir || own.has(e.fromFile)) problems.push(`${where}: external, but ${e.fromFile} is in the phase under analysis`);
          if (!existsSync(join(run.root, e.fromFile))) problems.push(`${where}: ${e.fromFile} does not exist`);
        } else if (!own.has(e.fromFile)) {
          problems.push(`${where}: same-phase edge from ${e.fromFile}, which is not a plan of ${a.phase.dir}`);
        }
      }
    }
    expectNone(problems, "edges with the wrong external flag");
  });

  it("never puts an inferred edge on a cycle, and reports every cycle", () => {
    const problems: string[] = [];
    for (const { run, a } of analysed()) {
      const internal = a.edges.filter((e) => !e.external);
      const comp = components(
        a.plans.map((p) => p.id),
        internal,
      );
      const size = new Map<number, number>();
      for (const c of comp.values()) size.set(c, (size.get(c) ?? 0) + 1);
      for (const e of internal) {
        if (comp.get(e.from) !== comp.get(e.to)) continue;
        if (!e.reasons.some((r) => EXPLICIT.has(r.kind))) {
          problems.push(
            `${run.project} ${a.phase.dir}: inferred edge ${e.from} -> ${e.to} [${e.reasons.map((r) => `${r.kind}:${r.file ?? ""}`).join(", ")}] lies on a cycle`,
          );
        }
      }
      for (const [c, n] of size) {
        if (n < 2) continue;
        const members = [...comp].filter(([, k]) => k === c).map(([id]) => id);
        const named = a.cycles.some((cy) => cy.length > 1 && cy.every((id) => members.includes(id)));
        const diagnosed = a.diagnostics.some((d) => d.code === "cycle" && d.severity === "error");
        if (!named || !diagnosed) problems.push(`${run.project} ${a.phase.dir}: cycle among ${members.join(", ")} is not reported`);
      }
      for (const e of internal) {
        if (e.reasons.length === 0) problems.push(`${run.project} ${a.phase.dir}: edge ${e.from} -> ${e.to} has no reason`);
        for (const r of e.reasons)
          if (!EXPLICIT.has(r.kind) && !INFERRED.has(r.kind))
            problems.push(`${run.project} ${a.phase.dir}: same-phase edge ${e.from} -> ${e.to} has reason ${r.kind}`);
      }
    }
    expectNone(problems, "cycle problems");
  });

  it("reads a SUMMARY.md's status: halted / superseded exactly where its front matter says so (counted)", () => {
    const counts = { halted: 0, superseded: 0, complete: 0 };
    const problems: string[] = [];
    for (const { run, a } of analysed()) {
      for (const p of a.plans) {
        if (p.summaryFile === undefined) continue;
        const text = readFileSync(join(run.root, p.summaryFile), "utf8");
        // Independent reader: the first front-matter block's top-level `status:` line.
        const block = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text)?.[1] ?? "";
        const word = /^status:\s*["']?([A-Za-z]+)["']?\s*(?:#.*)?$/m.exec(block)?.[1]?.toLowerCase();
        const expected = word === "halted" || word === "superseded" ? word : "complete";
        counts[expected] += 1;
        if (p.status !== expected) problems.push(`${run.project} ${p.summaryFile}: read as ${p.status}, its status line says ${expected}`);
      }
    }
    expectNone(problems, "summaries whose outcome was misread");
    process.stdout.write(`corpus summaries: ${counts.complete} complete, ${counts.halted} halted, ${counts.superseded} superseded\n`);
    expect(counts.complete).toBeGreaterThan(0);
  });

  it("prints a summary", () => {
    const edgeKinds = new Map<string, number>();
    const codes = new Map<string, number>();
    let plans = 0;
    let edges = 0;
    const diagSeen = new Set<string>();
    for (const { run, a } of analysed()) {
      plans += a.plans.length;
      edges += a.edges.length;
      for (const e of a.edges) for (const k of new Set(e.reasons.map((r) => r.kind))) edgeKinds.set(k, (edgeKinds.get(k) ?? 0) + 1);
      for (const d of a.diagnostics) {
        // Project-level diagnostics (config.json) are repeated in every phase; count them once.
        const key = `${run.project}\u0000${d.code}\u0000${d.file ?? ""}\u0000${d.line ?? ""}\u0000${d.message}`;
        if (diagSeen.has(key)) continue;
        diagSeen.add(key);
        codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
      }
    }
    const list = (m: Map<string, number>) =>
      [...m]
        .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
        .map(([k, n]) => `${k}=${n}`)
        .join(" ");
    const line =
      `corpus: ${corpus.projects.length} projects, ${corpus.runs.length} phases, ${plans} plans ` +
      `(${corpus.planFiles.length} PLAN.md files), ${edges} edges {${list(edgeKinds)}}, ` +
      `${diagSeen.size} diagnostics {${list(codes)}} in ${Math.round(corpus.ms)} ms`;
    process.stdout.write(`${line}\n`);
    expect(plans).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------
// Inference measured against the planners: the same phases with `depends_on` and `wave` removed
// ---------------------------------------------------------------------------------------------

/** Which plans each plan reaches over `edges` (its transitive dependents). */
function reachFrom(ids: readonly string[], edges: readonly { from: string; to: string }[]): (a: string, b: string) => boolean {
  const succ = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const e of edges) succ.get(e.from)?.push(e.to);
  const memo = new Map<string, Set<string>>();
  return (a, b) => {
    let seen = memo.get(a);
    if (!seen) {
      seen = new Set();
      const stack = [a];
      while (stack.length > 0) {
        for (const n of succ.get(stack.pop() as string) ?? []) {
          if (!seen.has(n)) {
            seen.add(n);
            stack.push(n);
          }
        }
      }
      memo.set(a, seen);
    }
    return seen.has(b);
  };
}

function makespan(a: PhaseAnalysis, edges: readonly { from: string; to: string }[], cap: number): number {
  const deps = new Map<string, string[]>(a.plans.map((p) => [p.id, []]));
  for (const e of edges) deps.get(e.to)?.push(e.from);
  return simulateScheduler(
    a.plans.map((p, i) => ({ id: p.id, order: i, deps: deps.get(p.id) ?? [], minutes: Math.max(p.durationMinutes, 0.1), wave: p.wave })),
    cap,
  ).makespan;
}

interface InferenceFigures {
  orderings: number;
  strippedRespected: number;
  unstrippedRespected: number;
  plannerWaves: number;
  strippedWaves: number;
  plannerMakespan: number;
  strippedMakespan: number;
  analysedMakespan: number;
  phasesWithWaves: number;
}

/**
 * The planners' same-phase orderings are their declared edges, less those a longer declared
 * path already implies (so one ordering is counted once). Recall: the share of them that the
 * graph inferred from the stripped plans still orders (a path from prerequisite to dependent).
 * Waves: over phases whose plans declare waves, the inferred waves against the number of
 * distinct waves the planners wrote. Makespans: `simulate`'s scheduler at 3 agents, on the
 * planners' declared edges alone, on the stripped inference, and on the full analysis.
 */
function inferenceFigures(): InferenceFigures {
  const f: InferenceFigures = {
    orderings: 0,
    strippedRespected: 0,
    unstrippedRespected: 0,
    plannerWaves: 0,
    strippedWaves: 0,
    plannerMakespan: 0,
    strippedMakespan: 0,
    analysedMakespan: 0,
    phasesWithWaves: 0,
  };
  for (const run of corpus.runs) {
    const a = run.analysis;
    const s = run.stripped;
    if (!a || !s) continue;
    const ids = a.plans.map((p) => p.id);
    const declared = a.edges.filter((e) => !e.external && e.reasons.some((r) => r.kind === "declared"));
    const byDeclared = reachFrom(ids, declared);
    const byAnalysis = reachFrom(
      ids,
      a.edges.filter((e) => !e.external),
    );
    const byStripped = reachFrom(
      ids,
      s.edges.filter((e) => !e.external),
    );
    for (const e of declared) {
      if (declared.some((x) => x !== e && x.from === e.from && byDeclared(x.to, e.to))) continue;
      f.orderings++;
      if (byStripped(e.from, e.to)) f.strippedRespected++;
      if (byAnalysis(e.from, e.to)) f.unstrippedRespected++;
    }
    const written = new Set(a.plans.flatMap((p) => (p.declaredWave === undefined ? [] : [p.declaredWave])));
    if (written.size > 0) {
      f.phasesWithWaves++;
      f.plannerWaves += written.size;
      f.strippedWaves += s.waves.length;
    }
    if (a.plans.length > 0) {
      f.plannerMakespan += makespan(a, declared, 3);
      f.strippedMakespan += makespan(
        s,
        s.edges.filter((e) => !e.external),
        3,
      );
      f.analysedMakespan += makespan(
        a,
        a.edges.filter((e) => !e.external),
        3,
      );
    }
  }
  return f;
}

describe("corpus: inference against the planners' own order", () => {
  let f: InferenceFigures;
  beforeAll(() => {
    f = inferenceFigures();
  });

  it("strips every depends_on and wave (in memory) before the stripped analysis", () => {
    const left = corpus.runs.flatMap((r) => (r.stripped?.plans ?? []).filter((p) => p.declaredDependsOn.length > 0 || p.declaredWave !== undefined));
    expect(left.map((p) => p.file)).toEqual([]);
    expect(f.orderings).toBeGreaterThan(1000);
  });

  it("keeps every declared ordering when nothing is stripped (recall 1.0)", () => {
    expect(f.unstrippedRespected).toBe(f.orderings);
  });

  it("recovers at least 90% of the planners' orderings from the stripped plans, with at most 1.3x their waves", () => {
    const recall = f.strippedRespected / f.orderings;
    const waveRatio = f.strippedWaves / f.plannerWaves;
    const r3 = (n: number) => Math.round(n * 1000) / 1000;
    process.stdout.write(
      `inference: stripped recall ${r3(recall)} (${f.strippedRespected} of ${f.orderings} declared orderings), unstripped ${r3(f.unstrippedRespected / f.orderings)}; ` +
        `waves ${f.strippedWaves} inferred vs ${f.plannerWaves} declared over ${f.phasesWithWaves} phases (${r3(waveRatio)}x); ` +
        `makespan at 3 agents: ${Math.round(f.plannerMakespan)} min on declared edges, ${Math.round(f.strippedMakespan)} stripped, ${Math.round(f.analysedMakespan)} analysed\n`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(waveRatio).toBeLessThanOrEqual(1.3);
  });
});

// ---------------------------------------------------------------------------------------------
// The other checks over every analysed phase, on the analyses above (projects in name order)
// ---------------------------------------------------------------------------------------------

const phases: CorpusPhase[] = analysed()
  .map(({ run, a }) => ({ project: run.project, root: run.root, analysis: a }))
  .sort((x, y) => (x.project < y.project ? -1 : x.project > y.project ? 1 : 0));
briefSizeTests(phases);
exportCorpusTests(phases);
