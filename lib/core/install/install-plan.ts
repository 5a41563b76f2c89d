/**
 * Installing without the plugin system: what to write where, as data. Commands go to
 * `<claude>/commands/gsd/` (so they are still `/gsd:...`), the workflow and a copy of the helper
 * to `<claude>/gsd-async/`, and the hooks into `<claude>/settings.json`. `${CLAUDE_PLUGIN_ROOT}`
 * in the sources is replaced by the install directory. A manifest records every file (with a
 * hash) and hook added, so `uninstall` removes exactly those and nothing a user changed.
 */
export const MANIFEST_NAME = "install-manifest.json";
export const MARK = "gsd-async";

export interface SourceFile {
  /** Path inside the package, e.g. `commands/status.md`. */
  rel: string;
  text: string;
}

export interface InstallWrite {
  /** Path relative to the `.claude` directory. */
  path: string;
  text: string;
}

export interface HookEntry {
  matcher?: string;
  /** `if`: Claude Code's permission-rule filter, checked before the hook's process starts. */
  hooks: { type: "command"; command: string; timeout?: number; if?: string }[];
}

export type HookSettings = Record<string, HookEntry[]>;

export interface InstallPlan {
  writes: InstallWrite[];
  hooks: HookSettings;
}

/** `root` is the absolute install directory that replaces `${CLAUDE_PLUGIN_ROOT}`. */
export function planInstall(sources: readonly SourceFile[], hooksJson: { hooks: HookSettings }, root: string): InstallPlan {
  const fill = (t: string) => t.split("${CLAUDE_PLUGIN_ROOT}").join(root);
  const writes: InstallWrite[] = [];
  for (const s of sources) {
    if (s.rel.startsWith("commands/")) writes.push({ path: `commands/gsd/${s.rel.slice("commands/".length)}`, text: fill(s.text) });
    else if (s.rel.startsWith("workflows/")) writes.push({ path: `${MARK}/${s.rel}`, text: fill(s.text) });
    else if (s.rel === "dist/cli.js" || s.rel === "dist/hook-pre-tool-use.js") writes.push({ path: `${MARK}/${s.rel}`, text: s.text });
  }
  const hooks: HookSettings = {};
  for (const [event, entries] of Object.entries(hooksJson.hooks)) {
    hooks[event] = entries.map((e) => ({ ...e, hooks: e.hooks.map((h) => ({ ...h, command: fill(h.command) })) }));
  }
  return { writes, hooks };
}

const sameEntry = (a: HookEntry, b: HookEntry) => JSON.stringify(a) === JSON.stringify(b);

/** Adds our hook entries to settings (once), keeping everything else as it is. */
export function mergeHooks(settings: Record<string, unknown>, add: HookSettings): Record<string, unknown> {
  const current = (typeof settings.hooks === "object" && settings.hooks !== null ? settings.hooks : {}) as HookSettings;
  const merged: HookSettings = { ...current };
  for (const [event, entries] of Object.entries(add)) {
    const list = [...(merged[event] ?? [])];
    for (const e of entries) if (!list.some((x) => sameEntry(x, e))) list.push(e);
    merged[event] = list;
  }
  return { ...settings, hooks: merged };
}

/** Removes exactly the hook entries we added; events left empty disappear. */
export function unmergeHooks(settings: Record<string, unknown>, added: HookSettings): Record<string, unknown> {
  const current = (typeof settings.hooks === "object" && settings.hooks !== null ? settings.hooks : {}) as HookSettings;
  const out: HookSettings = {};
  for (const [event, entries] of Object.entries(current)) {
    const ours = added[event] ?? [];
    const kept = entries.filter((e) => !ours.some((o) => sameEntry(o, e)));
    if (kept.length > 0) out[event] = kept;
  }
  const { hooks: _h, ...rest } = settings;
  return Object.keys(out).length > 0 ? { ...rest, hooks: out } : rest;
}
