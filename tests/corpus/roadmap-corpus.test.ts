/**
 * Corpus test for the roadmap level: every ROADMAP.md in ../shared/corpus, and every archived
 * `milestones/*-ROADMAP.md` (and `milestones/<v>/ROADMAP.md`), is parsed and analysed against
 * its project's phase directories. Each must parse or yield diagnostics, never throw; the
 * checks below read the files with their own simple code (headings, Depends lines, strongly
 * connected components) rather than echoing the library's answers back to it.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { DIAGNOSTIC_CODES } from "../../lib/core/common/diagnostic";
import { normalizePhaseNumber } from "../../lib/core/plan/phase-number";
import type { ParsedRoadmap } from "../../lib/core/roadmap/roadmap";
import type { RoadmapAnalysis } from "../../lib/core/roadmap/roadmap-analysis";
import { roadmapToJson } from "../../lib/json/roadmap-json";
import { type Project, openProject } from "../../lib/shell/project";
import { analyzeRoadmapFile, archivedRoadmaps, readRoadmap } from "../../lib/shell/roadmap-source";
import { CORPUS } from "../helpers/corpus-path";

interface Run {
  project: string;
  root: string;
  file: string;
  lines: string[];
  parsed?: ParsedRoadmap;
  analysis?: RoadmapAnalysis;
  error?: string;
}

function runCorpus(): { runs: Run[]; ms: number } {
  if (!existsSync(CORPUS)) throw new Error(`corpus not found at ${CORPUS}: this test needs ../shared/corpus beside the project root`);
  const started = performance.now();
  const runs: Run[] = [];
  const projects = readdirSync(CORPUS, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(join(CORPUS, e.name, ".planning")));
  for (const { name } of projects) {
    const root = join(CORPUS, name);
    const opened = openProject(root);
    const files = [...(existsSync(join(root, ".planning/ROADMAP.md")) ? [".planning/ROADMAP.md"] : []), ...archivedRoadmaps(root)];
    for (const file of files) {
      const run: Run = { project: name, root, file, lines: readFileSync(join(root, file), "utf8").split("\n") };
      try {
        if (!opened.ok) throw new Error(opened.reason);
        run.parsed = readRoadmap(root, file);
        run.analysis = analyzeRoadmapFile(opened.project as Project, file, true);
        roadmapToJson(run.analysis as RoadmapAnalysis, root); // throws when the JSON schema is violated
      } catch (err) {
        run.error = String((err as Error)?.stack ?? err);
      }
      runs.push(run);
    }
  }
  return { runs, ms: performance.now() - started };
}

let corpus: { runs: Run[]; ms: number };
beforeAll(() => {
  corpus = runCorpus();
});

const done = () =>
  corpus.runs.filter((r): r is Run & { parsed: ParsedRoadmap; analysis: RoadmapAnalysis } => r.parsed !== undefined && r.analysis !== undefined);

function expectNone(problems: string[], what: string): void {
  if (problems.length === 0) return;
  throw new Error(`${problems.length} ${what}:\n  ${problems.slice(0, 40).join("\n  ")}${problems.length > 40 ? "\n  ..." : ""}`);
}

/** Line numbers (1-based) outside fenced code whose text matches `re`. */
function linesMatching(lines: readonly string[], re: RegExp): { line: number; m: RegExpExecArray }[] {
  const out: { line: number; m: RegExpExecArray }[] = [];
  let fenced = false;
  lines.forEach((text, i) => {
    if (/^\s*(```|~~~)/.test(text)) fenced = !fenced;
    const m = fenced ? null : re.exec(text);
    if (m) out.push({ line: i + 1, m });
  });
  return out;
}

/** Nodes on a cycle: members of a strongly connected component with more than one node. */
function onCycles(nodes: readonly string[], edges: readonly { from: string; to: string }[]): Set<string> {
  const succ = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const e of edges) succ.get(e.from)?.push(e.to);
  const reach = (from: string) => {
    const seen = new Set<string>();
    const stack = [...(succ.get(from) ?? [])];
    while (stack.length > 0) {
      const n = stack.pop() as string;
      if (!seen.has(n)) (seen.add(n), stack.push(...(succ.get(n) ?? [])));
    }
    return seen;
  };
  return new Set(nodes.filter((n) => reach(n).has(n)));
}

describe("corpus: every ROADMAP.md and archived milestone roadmap", () => {
  it("finds roadmaps, and parses and analyses every one without an exception", () => {
    expect(corpus.runs.length).toBeGreaterThan(20);
    expectNone(
      corpus.runs.filter((r) => r.error !== undefined).map((r) => `${r.project} ${r.file}: ${r.error}`),
      "roadmaps failed",
    );
  });

  it("reads every `Phase N:` heading as a phase, or reports it as a duplicate on its line", () => {
    const problems: string[] = [];
    for (const r of done()) {
      for (const { line, m } of linesMatching(r.lines, /^#{1,6}\s+Phase\s+(\d+(?:\.\d+)*[A-Za-z]?|[A-Z])\s*:/)) {
        const id = /^\d/.test(m[1] as string) ? normalizePhaseNumber(m[1] as string) : (m[1] as string);
        const read = r.parsed.phases.some((p) => p.id === id && p.heading === line);
        const dup = r.parsed.diagnostics.some((d) => d.code === "roadmap-duplicate-phase" && d.line === line);
        const commented = r.lines.slice(0, line).join("\n").lastIndexOf("<!--") > r.lines.slice(0, line).join("\n").lastIndexOf("-->");
        if (!read && !dup && !commented) problems.push(`${r.project} ${r.file}:${line}: Phase ${m[1]} heading not read`);
      }
    }
    expectNone(problems, "phase headings dropped");
  });

  it("attaches every Depends on line to a phase, or reports it (orphan, or under a duplicate)", () => {
    const problems: string[] = [];
    for (const r of done()) {
      const attached = new Set(r.parsed.phases.flatMap((p) => p.depends.map((d) => d.line)));
      const headings = linesMatching(r.lines, /^#{1,6}\s+Phase\s+\S+?:|^\*\*Phase\s+\S+?:.*\*\*\s*$/).map((h) => h.line);
      const dups = new Set(r.parsed.diagnostics.filter((d) => d.code === "roadmap-duplicate-phase").map((d) => d.line));
      for (const { line } of linesMatching(r.lines, /^\s*(?:[-*+]\s+)?[*_]{0,2}\s*(?:depends on|dependencies)\s*[*_]{0,2}\s*:/i)) {
        const owner = headings.filter((h) => h < line).pop();
        const orphan = r.parsed.diagnostics.some((d) => d.code === "roadmap-depends-orphan" && d.line === line);
        if (!attached.has(line) && !orphan && !(owner !== undefined && dups.has(owner)))
          problems.push(`${r.project} ${r.file}:${line}: ${r.lines[line - 1]?.slice(0, 100)}`);
      }
    }
    expectNone(problems, "Depends on lines silently dropped");
  });

  it("keeps every edge between two different phases and every level after its prerequisites", () => {
    const problems: string[] = [];
    for (const r of done()) {
      const a = r.analysis;
      const byId = new Map(a.phases.map((p) => [p.id, p]));
      for (const e of a.edges) {
        const where = `${r.project} ${r.file}: ${e.from} -> ${e.to}`;
        if (e.from === e.to) problems.push(`${where}: a phase depends on itself`);
        if (!e.external && !byId.has(e.from)) problems.push(`${where}: prerequisite not in the roadmap`);
        const f = byId.get(e.from)?.level;
        const t = byId.get(e.to)?.level;
        if (!e.external && f !== undefined && t !== undefined && !(f < t)) problems.push(`${where}: level ${f} is not before level ${t}`);
        if (!e.external && t !== undefined && f === undefined && byId.get(e.from)?.status !== "complete")
          problems.push(`${where}: scheduled although its prerequisite is not`);
      }
      for (const p of a.phases) {
        if (p.status === "complete" && p.level !== undefined) problems.push(`${r.project} ${r.file}: Phase ${p.id} is complete but has level ${p.level}`);
        if (p.status !== "complete" && !p.blocked && p.level === undefined) problems.push(`${r.project} ${r.file}: Phase ${p.id} is to do but has no level`);
      }
      if (a.levels.flat().length !== a.phases.filter((p) => p.level !== undefined).length)
        problems.push(`${r.project} ${r.file}: levels[] does not list each scheduled phase once`);
    }
    expectNone(problems, "edge or level problems");
  });

  it("reports every cycle as an error and schedules none of its unfinished phases", () => {
    const problems: string[] = [];
    for (const r of done()) {
      const a = r.analysis;
      const cyclic = onCycles(
        a.phases.map((p) => p.id),
        a.edges.filter((e) => !e.external),
      );
      const errors = a.diagnostics.filter((d) => d.code === "cycle" && d.severity === "error").length;
      if (cyclic.size > 0 && errors === 0) problems.push(`${r.project} ${r.file}: cycle among ${[...cyclic].join(", ")} not reported`);
      if (cyclic.size === 0 && a.cycles.length > 0) problems.push(`${r.project} ${r.file}: cycle reported where there is none`);
      for (const id of cyclic) {
        const p = a.phases.find((x) => x.id === id);
        if (p && p.status !== "complete" && p.level !== undefined) problems.push(`${r.project} ${r.file}: Phase ${id} on a cycle has level ${p.level}`);
      }
    }
    expectNone(problems, "cycle problems");
  });

  it("gives every diagnostic a known code, a message, the roadmap file and a line inside it", () => {
    const problems: string[] = [];
    const known = new Set<string>(DIAGNOSTIC_CODES);
    for (const r of done()) {
      for (const d of r.analysis.diagnostics) {
        const where = `${r.project} ${r.file}: ${JSON.stringify(d)}`;
        if (!known.has(d.code) || d.message.trim() === "") problems.push(`bad code or message: ${where}`);
        if (d.file !== r.file) problems.push(`wrong file: ${where}`);
        if (d.line !== undefined && !(Number.isInteger(d.line) && d.line >= 1 && d.line <= r.lines.length)) problems.push(`bad line: ${where}`);
      }
    }
    expectNone(problems, "malformed diagnostics");
  });

  it("prints counts", () => {
    const all = done();
    const phases = all.flatMap((r) => r.analysis.phases);
    const edges = all.flatMap((r) => r.analysis.edges);
    const codes = new Map<string, number>();
    for (const r of all) for (const d of r.analysis.diagnostics) codes.set(d.code, (codes.get(d.code) ?? 0) + 1);
    const kinds = new Map<string, number>();
    for (const e of edges) for (const k of e.external ? ["external"] : e.reasons.map((x) => x.kind)) kinds.set(k, (kinds.get(k) ?? 0) + 1);
    const list = (m: Map<string, number>) =>
      [...m]
        .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
        .map(([k, n]) => `${k}=${n}`)
        .join(" ");
    const live = all.filter((r) => r.file === ".planning/ROADMAP.md").length;
    const n = (s: string) => phases.filter((p) => p.status === s).length;
    process.stdout.write(
      `roadmap corpus: ${all.length} roadmaps (${live} live, ${all.length - live} archived), ${phases.length} phases ` +
        `(${n("complete")} complete, ${n("in-progress")} in progress, ${n("pending")} pending, ${phases.filter((p) => p.blocked).length} blocked), ` +
        `${phases.filter((p) => p.declaredDependsOn.length > 0).length} with Depends on, ${edges.length} edges {${list(kinds)}}, ` +
        `max ${Math.max(0, ...all.map((r) => r.analysis.levels.length))} levels, ${all.reduce((s, r) => s + r.analysis.cycles.length, 0)} cycles, ` +
        `diagnostics {${list(codes)}} in ${Math.round(corpus.ms)} ms\n`,
    );
    expect(phases.length).toBeGreaterThan(0);
  });
});
