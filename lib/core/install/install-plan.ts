/**
 * Installing without the plugin system: what to write where, as data. Commands go to
 * `<claude>/commands/gsd/` (so they are still `/gsd:...`), the workflow, the executor agent's
 * instructions and a copy of the helper to `<claude>/gsd-async/`, and the hooks into `<claude>/settings.json`. `${CLAUDE_PLUGIN_ROOT}`
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
    else if (s.rel.startsWith("workflows/") || s.rel.startsWith("agents/")) writes.push({ path: `${MARK}/${s.rel}`, text: fill(s.text) });
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

export interface Unmerged {
  settings: Record<string, unknown>;
  /** Hook entries that held one of our commands but were changed since install (e.g. a timeout): our command was taken out, the rest kept. */
  changed: string[];
  /** Hook commands kept because they were changed, that still name the helper being removed. */
  left: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Takes our hooks out of settings. Ours is a handler whose command is exactly
 * `node "<root>/dist/<file>.js"`, optionally followed by ` hook <name>`, recognised by the install directory, never by what a
 * manifest says, so a crafted manifest cannot remove a user's hooks. An entry equal to one
 * `installed` holds disappears; an entry that was changed keeps its other handlers and is named
 * in `changed`; a handler that still names the helper in some other form is named in `left`.
 * Events left empty disappear, and so does `hooks` when nothing is left.
 */
export function unmergeHooks(settings: Record<string, unknown>, installed: HookSettings, root: string): Unmerged {
  const helper = `${root}/dist/`;
  const prefix = `node "${helper}`;
  const ours = (command: unknown) =>
    typeof command === "string" && command.startsWith(prefix) && /^[a-z-]+\.js"( hook [a-z-]+)?$/.test(command.slice(prefix.length));
  const changed: string[] = [];
  const left: string[] = [];
  if (!isObject(settings.hooks)) return { settings, changed, left };
  const out: Record<string, unknown> = {};
  for (const [event, entries] of Object.entries(settings.hooks)) {
    if (!Array.isArray(entries)) {
      out[event] = entries;
      continue;
    }
    const kept: unknown[] = [];
    for (const entry of entries) {
      const handlers: unknown[] = isObject(entry) && Array.isArray(entry.hooks) ? entry.hooks : [];
      const mine = handlers.filter((h) => isObject(h) && ours(h.command));
      const rest = handlers.filter((h) => !(isObject(h) && ours(h.command)));
      const where = `${event}${isObject(entry) && typeof entry.matcher === "string" ? ` (${entry.matcher})` : ""}`;
      for (const h of rest) if (isObject(h) && typeof h.command === "string" && h.command.includes(helper)) left.push(`${where}: ${h.command}`);
      if (mine.length === 0) kept.push(entry);
      else if (!(installed[event] ?? []).some((e) => sameEntry(e, entry as HookEntry))) {
        changed.push(where);
        if (rest.length > 0) kept.push({ ...(entry as Record<string, unknown>), hooks: rest });
      }
    }
    if (kept.length > 0) out[event] = kept;
  }
  const { hooks: _h, ...others } = settings;
  return { settings: Object.keys(out).length > 0 ? { ...others, hooks: out } : others, changed, left };
}
