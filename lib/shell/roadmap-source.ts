import { type Dirent, existsSync, readdirSync, statSync } from "node:fs";
import { MAX_TEXT_BYTES, readTextCapped } from "./read-text";
import { diagnostic } from "../core/common/diagnostic";
import { isAbsolute, join, relative, resolve } from "node:path";
import { compareNatural } from "../core/plan/phase-number";
import { type ParsedRoadmap, parseRoadmap } from "../core/roadmap/roadmap";
import { type PhaseDuration, type RoadmapAnalysis, analyzeRoadmap } from "../core/roadmap/roadmap-analysis";
import { PhaseDirIndex } from "../core/roadmap/roadmap-dirs";
import { PLANNING_DIR } from "./planning-root";
import { type Project, analyzeProjectPhase } from "./project";

/**
 * Where roadmaps live and how they are read: `.planning/ROADMAP.md`, and archived milestone
 * roadmaps `.planning/milestones/v1.0-ROADMAP.md` (or `milestones/v1.0/ROADMAP.md`) when asked.
 * The pure analysis gets the text, the tree and the per-phase durations from here.
 */
export const ROADMAP_FILE = `${PLANNING_DIR}/ROADMAP.md`;
const MILESTONES = `${PLANNING_DIR}/milestones`;

function entries(abs: string): Dirent[] {
  try {
    return readdirSync(abs, { withFileTypes: true });
  } catch {
    return [];
  }
}

const isFile = (abs: string) => existsSync(abs) && statSync(abs).isFile();

/** Every archived roadmap, project-relative, in milestone order (v1.9 before v1.10). */
export function archivedRoadmaps(root: string): string[] {
  const out: string[] = [];
  for (const e of entries(join(root, MILESTONES))) {
    if (e.isFile() && e.name.endsWith("-ROADMAP.md")) out.push(`${MILESTONES}/${e.name}`);
    else if (e.isDirectory() && isFile(join(root, MILESTONES, e.name, "ROADMAP.md"))) out.push(`${MILESTONES}/${e.name}/ROADMAP.md`);
  }
  return out.sort(compareNatural);
}

/**
 * `--milestone` accepts a version (`v1.0`, `1.0`), a file name (`v1.0-ROADMAP.md`) or a path
 * (relative to the project, to `.planning/`, to `milestones/`, or absolute inside the project).
 */
export function resolveMilestone(root: string, arg: string): string | undefined {
  const v = arg.replace(/\\/g, "/").replace(/\/+$/, "");
  const version = /^v?\d+(?:\.\d+)*(?:-[\w.-]+)?$/.test(v) ? (v.startsWith("v") ? v : `v${v}`) : undefined;
  const candidates = [
    ...(version ? [`${MILESTONES}/${version}-ROADMAP.md`, `${MILESTONES}/${version}/ROADMAP.md`] : []),
    isAbsolute(v) ? relative(root, v).replace(/\\/g, "/") : v,
    `${PLANNING_DIR}/${v}`,
    `${MILESTONES}/${v}`,
    `${MILESTONES}/${v}/ROADMAP.md`,
  ];
  return candidates.find((c) => !c.startsWith("..") && resolve(root, c).startsWith(resolve(root)) && isFile(join(root, c)));
}

/** The phase containers a roadmap describes first: an archive's own `-phases` directory. */
export function containersFor(file: string): string[] {
  const m = /^\.planning\/milestones\/(.+?)(?:-ROADMAP\.md|\/ROADMAP\.md)$/.exec(file);
  if (m) return [`milestones/${m[1]}-phases`, `milestones/${m[1]}/phases`];
  const w = /^\.planning\/(workstreams\/[^/]+)\/ROADMAP\.md$/.exec(file);
  return w ? [`${w[1]}/phases`] : ["phases"];
}

export function readRoadmap(root: string, file: string): ParsedRoadmap | undefined {
  const read = readTextCapped(join(root, file));
  if (read === undefined) return undefined;
  const parsed = parseRoadmap(read.text, file);
  if (read.truncated)
    parsed.diagnostics.unshift(
      diagnostic("error", "file-too-large", `${read.bytes} bytes, more than the ${MAX_TEXT_BYTES} read from one file: only the first part was read`, {
        file,
        line: 1,
      }),
    );
  return parsed;
}

// Per project and directory: `--archived` reads several roadmaps that name the same phases,
// and a phase's duration needs every one of its plan files.
const durationCache = new WeakMap<Project, Map<string, PhaseDuration>>();

/** Sum of plan durations for each phase directory the roadmap names (read from disk). */
export function phaseDurations(project: Project, roadmap: ParsedRoadmap, containers: readonly string[]): Map<string, PhaseDuration> {
  const index = new PhaseDirIndex(project.tree, containers);
  let cache = durationCache.get(project);
  if (!cache) durationCache.set(project, (cache = new Map()));
  const out = new Map<string, PhaseDuration>();
  for (const p of roadmap.phases) {
    const m = index.match(p.id);
    if (!m || !("dir" in m) || out.has(m.dir.dir)) continue;
    let d = cache.get(m.dir.dir);
    if (!d) {
      const plans = analyzeProjectPhase(project, m.dir).plans;
      d = {
        minutes: plans.reduce((s, x) => s + x.durationMinutes, 0),
        plans: plans.length,
        fromSummaries: plans.filter((x) => x.durationSource === "summary").length,
      };
      cache.set(m.dir.dir, d);
    }
    out.set(m.dir.dir, d);
  }
  return out;
}

/** Reads, parses and analyses one roadmap file; durations only when `withDurations`. */
export function analyzeRoadmapFile(project: Project, file: string, withDurations: boolean): RoadmapAnalysis | undefined {
  const roadmap = readRoadmap(project.root, file);
  if (!roadmap) return undefined;
  const containers = containersFor(file);
  const durations = withDurations ? phaseDurations(project, roadmap, containers) : undefined;
  return analyzeRoadmap(durations ? { roadmap, tree: project.tree, containers, durations } : { roadmap, tree: project.tree, containers });
}
