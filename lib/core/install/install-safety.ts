import { MARK } from "./install-plan";

/**
 * What install and uninstall may touch. The install directory is pasted into shell lines (the
 * hooks in settings.json, the `!` line of /gsd:status), into the commands' `allowed-tools`
 * rules and into YAML front matter, so it may only hold characters that mean nothing in any of
 * them. Uninstall removes only files under the two folders install writes to, named by a plain
 * relative path, whatever a manifest says.
 */

/** Letters, digits and marks of any script, and ` / . _ + - @ ~ % =`. */
const SAFE_PATH_CHAR = /^[\p{L}\p{N}\p{M} /._+\-@~%=]$/u;

/** The first character of `dir` that is not safe to paste, or undefined when every one is. */
export function unsafePathChar(dir: string): string | undefined {
  for (const ch of dir) if (!SAFE_PATH_CHAR.test(ch)) return ch;
  return undefined;
}

/** How a character is named in a message: printable ones quoted, others by code point. */
export function describeChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, "0")}` : JSON.stringify(ch);
}

/** The folders (relative to `.claude`) that install writes into. */
export const INSTALL_FOLDERS = ["commands/gsd/", `${MARK}/`] as const;

/**
 * Why a manifest path may not be removed, or undefined when it may: it must be relative, use `/`,
 * have no empty, `.` or `..` segment, and lie under one of INSTALL_FOLDERS.
 */
export function manifestPathProblem(path: string): string | undefined {
  if (path.length === 0) return "is empty";
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path)) return "is absolute";
  if (path.includes("\\")) return "contains a backslash";
  if (path.split("/").some((s) => s === "" || s === "." || s === "..")) return "is not a plain relative path (empty, '.' or '..' part)";
  if (!INSTALL_FOLDERS.some((f) => path.startsWith(f))) return `is not under ${INSTALL_FOLDERS.join(" or ")}`;
  return undefined;
}

export interface ManifestFile {
  path: string;
  sha256: string;
}

export type ManifestCheck = { ok: true; files: ManifestFile[] } | { ok: false; problems: string[] };

/** The manifest's file list, when every entry is well formed and may be removed. */
export function checkManifestFiles(files: unknown): ManifestCheck {
  if (!Array.isArray(files)) return { ok: false, problems: ["`files` is not a list"] };
  const problems: string[] = [];
  const out: ManifestFile[] = [];
  files.forEach((f: unknown, i) => {
    const entry = f as { path?: unknown; sha256?: unknown } | null;
    if (typeof entry !== "object" || entry === null || typeof entry.path !== "string" || typeof entry.sha256 !== "string") {
      problems.push(`files[${i}] is not {path, sha256}`);
      return;
    }
    const problem = manifestPathProblem(entry.path);
    if (problem !== undefined) problems.push(`files[${i}] ${JSON.stringify(entry.path)} ${problem}`);
    else out.push({ path: entry.path, sha256: entry.sha256 });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, files: out };
}
