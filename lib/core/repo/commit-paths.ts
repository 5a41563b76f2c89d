import { unreachable } from "../common/unreachable";

/**
 * Which paths `gsd-async commit` may take. The shell resolves each argument to an absolute path
 * (POSIX separators); this decides, without touching the disk, which are inside the project and
 * which are refused, so one bad path refuses the whole commit and nothing is half-done.
 */
export interface PathArg {
  /** As the agent wrote it. */
  arg: string;
  /** Absolute, normalised, with `/` separators. */
  abs: string;
}

export type PathRefusal = { arg: string; why: "outside-project" | "git-dir" | "empty" };

export type PathCheck = { ok: true; paths: string[] } | { ok: false; refused: PathRefusal[] };

/** Paths relative to `gitTop` for the given arguments, or every refusal found. */
export function checkCommitPaths(projectRoot: string, gitTop: string, args: readonly PathArg[]): PathCheck {
  const refused: PathRefusal[] = [];
  const paths: string[] = [];
  if (args.length === 0) return { ok: false, refused: [{ arg: "", why: "empty" }] };
  for (const a of args) {
    if (a.arg.trim() === "") refused.push({ arg: a.arg, why: "empty" });
    else if (!isInside(projectRoot, a.abs) || !isInside(gitTop, a.abs)) refused.push({ arg: a.arg, why: "outside-project" });
    else {
      const rel = a.abs === gitTop ? "." : a.abs.slice(gitTop.length + 1);
      if (rel === ".git" || rel.startsWith(".git/") || rel.includes("/.git/") || rel.endsWith("/.git")) refused.push({ arg: a.arg, why: "git-dir" });
      else paths.push(rel);
    }
  }
  if (refused.length > 0) return { ok: false, refused };
  return { ok: true, paths: [...new Set(paths)] };
}

export function isInside(dir: string, abs: string): boolean {
  const d = dir.endsWith("/") ? dir.slice(0, -1) : dir;
  return abs === d || abs.startsWith(d + "/");
}

/** Paths named for a commit that turned out to have no change against HEAD. */
export function unchangedPaths(named: readonly string[], changed: readonly string[]): string[] {
  return named.filter((p) => !changed.some((c) => c === p || p === "." || c.startsWith(p.endsWith("/") ? p : p + "/")));
}

export function refusalText(r: PathRefusal): string {
  switch (r.why) {
    case "outside-project":
      return `${r.arg}: outside the project`;
    case "git-dir":
      return `${r.arg}: inside .git`;
    case "empty":
      return r.arg === "" ? "no paths given (name each file after --)" : `'${r.arg}': an empty path`;
    default:
      return unreachable(r.why);
  }
}
