import { isAbsolute, relative, sep } from "node:path";
import type { PhaseAnalysis } from "../core/graph/analysis";
import { type Project, analyzeProjectPhase, choosePhase, openProject } from "../shell/project";
import type { Failure } from "./exit-codes";
import { type Style, colorWanted, createStyle } from "../render/style";

/** What a command may touch of the outside world; tests pass their own. */
export interface Io {
  cwd: string;
  env: NodeJS.ProcessEnv;
  isTTY: boolean;
  out(text: string): void;
  err(text: string): void;
  /** The clock; tests pass a fake one. */
  now(): Date;
  /** argv that runs this helper again, for the commands written into spawn instructions. */
  helper: readonly string[];
  /** The node binary running this process (the PreToolUse hook allows only calls run by it). */
  nodePath?: string;
  /** Standard input as text (hooks read their JSON payload from it). */
  readStdin(): Promise<string>;
  /** The parent process id (to find the Claude Code process a call comes from). */
  ppid?: number;
  /** Resolves at the first change under `dirs` or after `maxMs` (`status --wait`); tests pass a fake. */
  waitForChange?: (dirs: readonly string[], maxMs: number) => Promise<void>;
}

export interface CommonOptions {
  cwd?: string;
  json?: boolean;
  color?: boolean;
}

export function styleFor(io: Io, opts: CommonOptions): Style {
  return createStyle(!opts.json && colorWanted(io.env, io.isTTY, opts.color));
}

export type Loaded = { ok: true; project: Project; analysis: PhaseAnalysis; note?: string } | { ok: false; failure: Failure };

/** Opens the project and analyses the chosen phase: the first step of every plan-level command. */
export function loadPhase(io: Io, opts: CommonOptions, phaseArg: string | undefined): Loaded {
  const opened = openFor(io, opts);
  return opened.ok ? loadPhaseIn(opened.project, phaseArg) : opened;
}

export function openFor(io: Io, opts: CommonOptions): { ok: true; project: Project } | { ok: false; failure: Failure } {
  const opened = openProject(opts.cwd ?? io.cwd);
  if (!opened.ok) return { ok: false, failure: { kind: "noProject", message: opened.reason, hint: "run inside a GSD project or pass --cwd DIR" } };
  return opened;
}

/**
 * The one rule for a path given on the command line (a phase directory or a plan file): an
 * absolute path is taken relative to the project root and must lie inside it; a relative one
 * keeps its meaning (a phase directory relative to the project, a plan relative to the cwd).
 */
export function insideProject(root: string, arg: string): { ok: true; rel: string } | { ok: false; failure: Failure } {
  if (!isAbsolute(arg)) return { ok: true, rel: arg };
  const rel = relative(root, arg).split(sep).join("/");
  if (rel === ".." || rel.startsWith("../") || isAbsolute(rel))
    return { ok: false, failure: { kind: "usage", message: `${arg} is outside the project ${root}` } };
  return { ok: true, rel: rel === "" ? "." : rel };
}

/** Chooses and analyses a phase of a project that is already open. */
export function loadPhaseIn(project: Project, phaseArg: string | undefined): Loaded {
  const inside = phaseArg === undefined ? undefined : insideProject(project.root, phaseArg);
  if (inside && !inside.ok) return inside;
  const chosen = choosePhase(project, inside?.rel);
  if (!chosen.ok) {
    const hint =
      chosen.candidates.length > 0 ? `phases: ${chosen.candidates.slice(0, 12).join(", ")}${chosen.candidates.length > 12 ? ", ..." : ""}` : undefined;
    return { ok: false, failure: hint === undefined ? { kind: "usage", message: chosen.reason } : { kind: "usage", message: chosen.reason, hint } };
  }
  const analysis = analyzeProjectPhase(project, chosen.phase);
  return chosen.note === undefined ? { ok: true, project, analysis } : { ok: true, project, analysis, note: chosen.note };
}
