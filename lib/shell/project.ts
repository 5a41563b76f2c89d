import { existsSync } from "node:fs";
import { join } from "node:path";
import { type AnalysisInput, type PhaseAnalysis, analyzePhase } from "../core/graph/analysis";
import { type Settings, defaultSettings, parseConfig } from "../core/plan/config";
import { type Diagnostic, diagnostic, sortDiagnostics } from "../core/common/diagnostic";
import { type PhaseSelection, selectPhase } from "../core/plan/phase-select";
import { type PhaseListing, type PlanningTree, phaseFiles, summaryFor } from "../core/plan/planning-tree";
import { parseCurrentPhase } from "../core/plan/current-phase";
import { absolutePathsIn } from "../core/plan/absolute-paths";
import { PLANNING_DIR, findProjectRoot } from "./planning-root";
import { loadTree } from "./load-tree";
import { MAX_TEXT_BYTES, readTextCapped } from "./read-text";

/** A project opened for a command: where it is, its phases, its settings. */
export interface Project {
  root: string;
  tree: PlanningTree;
  settings: Settings;
  diagnostics: Diagnostic[];
}

export type OpenResult = { ok: true; project: Project } | { ok: false; reason: string };

/** A user file's text, at most MAX_TEXT_BYTES of it; a longer file adds a `file-too-large` diagnostic. */
function readText(abs: string, rel: string, diagnostics?: Diagnostic[]): string | undefined {
  const read = readTextCapped(abs);
  if (read?.truncated)
    diagnostics?.push(
      diagnostic(
        "error",
        "file-too-large",
        `${read.bytes} bytes, more than the ${MAX_TEXT_BYTES} read from one file: only the first ${read.text.length} characters were read, so what follows (tasks, files) is missing`,
        { file: rel },
      ),
    );
  return read?.text;
}

export function openProject(cwd: string): OpenResult {
  const root = findProjectRoot(cwd);
  if (root === undefined) return { ok: false, reason: `no ${PLANNING_DIR}/ directory in ${cwd} or any directory above it` };
  const tree = loadTree(root);
  const configFile = `${PLANNING_DIR}/config.json`;
  const readDiagnostics: Diagnostic[] = (tree.outsideLinks ?? []).map((dir) =>
    diagnostic("warning", "link-outside-project", "a symbolic link to a directory outside the project; it is not followed", { file: dir }),
  );
  const configText = readText(join(root, configFile), configFile, readDiagnostics);
  const parsed = configText === undefined ? { settings: defaultSettings(), diagnostics: [] } : parseConfig(configText, configFile);
  return { ok: true, project: { root, tree, settings: parsed.settings, diagnostics: [...readDiagnostics, ...parsed.diagnostics] } };
}

/**
 * The phase a command works on: the one named, else STATE.md's current phase, else the first
 * active phase that still has unfinished plans (and the note says which rule chose it).
 */
export function choosePhase(project: Project, arg: string | undefined): PhaseSelection {
  if (arg !== undefined) return selectPhase(project.tree, arg);
  const stateFile = `${PLANNING_DIR}/STATE.md`;
  const state = readText(join(project.root, stateFile), stateFile);
  const current = state === undefined ? undefined : parseCurrentPhase(state);
  if (current) {
    const chosen = selectPhase(project.tree, current.phase);
    if (chosen.ok)
      return { ...chosen, note: `phase ${current.phase} is the current phase in ${stateFile} (line ${current.line})${chosen.note ? `; ${chosen.note}` : ""}` };
  }
  const open = project.tree.phases.find((p) => {
    if (!p.active) return false;
    const f = phaseFiles(p);
    return f.plans.some((plan) => summaryFor(plan, f.summaries) === undefined);
  });
  if (open) return { ok: true, phase: open, note: `no current phase in ${stateFile}; using ${open.dir}, the first phase with unfinished plans` };
  return { ok: false, reason: `no phase given, ${stateFile} names none, and no active phase has unfinished plans`, candidates: [] };
}

const STAT_LIMIT = 2000;

/**
 * Tails of the absolute paths the plans write that exist in this project (`/Users/x/proj/src/a.ts`
 * -> `src/a.ts` when that file is here): evidence for the analysis that a foreign prefix is this
 * project's root. Only paths inside the project are looked at, at most STAT_LIMIT of them.
 */
function existingTails(root: string, texts: Iterable<string>): Set<string> {
  const found = new Set<string>();
  const tried = new Set<string>();
  for (const text of texts) {
    for (const path of absolutePathsIn(text)) {
      const segs = path
        .replace(/\\/g, "/")
        .split("/")
        .filter((x) => x !== "");
      if (segs.includes("..")) continue;
      for (let k = 1; k < segs.length; k++) {
        const tail = segs.slice(k).join("/");
        if (found.has(tail)) break;
        if (tried.has(tail)) continue;
        if (tried.size >= STAT_LIMIT) return found;
        tried.add(tail);
        if (existsSync(join(root, tail))) {
          found.add(tail);
          break;
        }
      }
    }
  }
  return found;
}

/** Reads the phase's plan and summary files and runs the pure analysis. */
export function analyzeProjectPhase(project: Project, phase: PhaseListing): PhaseAnalysis {
  const texts = new Map<string, string>();
  const files = phaseFiles(phase);
  const readDiagnostics: Diagnostic[] = [];
  for (const f of [...files.plans, ...files.summaries]) {
    const text = readText(join(project.root, f.file), f.file, readDiagnostics);
    if (text !== undefined) texts.set(f.file, text);
  }
  const planTexts = files.plans.flatMap((p) => {
    const t = texts.get(p.file);
    return t === undefined ? [] : [t];
  });
  const input: AnalysisInput = { tree: project.tree, phase, texts, projectRootAbs: project.root, projectFiles: existingTails(project.root, planTexts) };
  const analysis = analyzePhase(input);
  if (readDiagnostics.length + project.diagnostics.length > 0)
    analysis.diagnostics = sortDiagnostics([...analysis.diagnostics, ...readDiagnostics, ...project.diagnostics]);
  return analysis;
}
