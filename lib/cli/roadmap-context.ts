import type { RoadmapAnalysis } from "../core/roadmap/roadmap-analysis";
import { type Project, openProject } from "../shell/project";
import { ROADMAP_FILE, analyzeRoadmapFile, archivedRoadmaps, resolveMilestone } from "../shell/roadmap-source";
import type { CommonOptions, Io } from "./context";
import type { Failure } from "./exit-codes";

/** Which roadmap a roadmap-level command reads. */
export interface RoadmapOptions extends CommonOptions {
  /** An archived roadmap: a version (`v1.0`) or a file. */
  milestone?: string;
  /** The live roadmap and every archived one. */
  archived?: boolean;
}

export type RoadmapsLoaded = { ok: true; project: Project; analyses: RoadmapAnalysis[] } | { ok: false; failure: Failure };

const listHint = (files: readonly string[]) =>
  files.length > 0 ? `archived roadmaps: ${files.slice(0, 8).join(", ")}${files.length > 8 ? ", ..." : ""}` : undefined;

function failure(kind: Failure["kind"], message: string, hint?: string): { ok: false; failure: Failure } {
  return { ok: false, failure: hint === undefined ? { kind, message } : { kind, message, hint } };
}

/**
 * Opens the project and analyses the chosen roadmap(s): `.planning/ROADMAP.md` by default,
 * one archive with `--milestone`, or the live one plus every archive with `--archived`.
 * Durations are read only when the command shows them (they need every plan file).
 */
export function loadRoadmaps(io: Io, opts: RoadmapOptions, withDurations: boolean): RoadmapsLoaded {
  const opened = openProject(opts.cwd ?? io.cwd);
  if (!opened.ok) return failure("noProject", opened.reason, "run inside a GSD project or pass --cwd DIR");
  const { project } = opened;
  const archived = archivedRoadmaps(project.root);
  const live = () => analyzeRoadmapFile(project, ROADMAP_FILE, withDurations);
  let analyses: RoadmapAnalysis[];
  if (opts.milestone !== undefined) {
    if (opts.archived) return failure("usage", "--milestone and --archived cannot be combined");
    const file = resolveMilestone(project.root, opts.milestone);
    const a = file === undefined ? undefined : analyzeRoadmapFile(project, file, withDurations);
    if (!a) return failure("usage", `no roadmap matches --milestone '${opts.milestone}'`, listHint(archived));
    analyses = [a];
  } else if (opts.archived) {
    const l = live();
    analyses = [...(l ? [l] : []), ...archived.flatMap((f) => analyzeRoadmapFile(project, f, withDurations) ?? [])];
    if (analyses.length === 0) return failure("usage", `no ${ROADMAP_FILE} and no archived roadmaps in .planning/milestones/`);
  } else {
    const a = live();
    if (!a)
      return failure(
        "usage",
        `no ${ROADMAP_FILE} in ${project.root}`,
        archived.length > 0 ? `pass --milestone VERSION or --archived; ${listHint(archived)}` : undefined,
      );
    analyses = [a];
  }
  return { ok: true, project, analyses };
}
