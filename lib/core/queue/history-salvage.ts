import { useEnglishMessages } from "../common/zod-messages";
import { EntrySchema, type History, RunSchema, emptyHistory, type HistoryEntry, type RunRecord } from "./history-schema";
import { readHistoryText } from "./history-migrate";
import { backgroundStatusOf } from "./run-status";

export interface Salvage {
  history: History;
  kept: number;
  dropped: { index: number; reason: string }[];
}

/**
 * Rebuilds a usable history from a broken file: every entry and run that still validates is
 * kept, the rest are listed as dropped. Completion is never lost for good: SUMMARY.md files on
 * disk remain the source of truth and the next `start` or `status` reads them.
 */
export function salvageHistory(text: string): Salvage {
  useEnglishMessages();
  const whole = readHistoryText(text);
  if (whole.ok) return { history: whole.history, kept: whole.history.entries.length, dropped: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { history: emptyHistory(), kept: 0, dropped: [{ index: -1, reason: "the file is not JSON; no entry could be read" }] };
  }
  const o = (typeof json === "object" && json !== null ? json : {}) as Record<string, unknown>;
  const h = emptyHistory(typeof o.max_entries === "number" && o.max_entries >= 1 ? Math.floor(o.max_entries) : undefined);
  const dropped: Salvage["dropped"] = [];
  const entries: HistoryEntry[] = [];
  // A 1.0 file's entries are migrated one by one, so one broken entry does not cost the others.
  const v1 = o.version === "1.0" || o.version === 1 || o.version === "1";
  (Array.isArray(o.entries) ? o.entries : []).forEach((e: unknown, index) => {
    if (v1) {
      const one = readHistoryText(JSON.stringify({ version: "1.0", entries: [e] }));
      if (one.ok) entries.push(...one.history.entries);
      else dropped.push({ index, reason: one.problems.map((i) => `${i.path.replace(/^entries\[0\]\.?/, "")}: ${i.message}`).join("; ") });
      return;
    }
    const p = EntrySchema.safeParse(e);
    if (p.success) entries.push({ ...p.data, background_status: backgroundStatusOf(p.data.status) });
    else dropped.push({ index, reason: p.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
  });
  const runs: RunRecord[] = (Array.isArray(o.runs) ? o.runs : []).flatMap((r: unknown) => {
    const p = RunSchema.safeParse(r);
    return p.success ? [p.data] : [];
  });
  const live = new Set(entries.map((e) => e.run_id));
  return { history: { ...h, entries, runs: runs.filter((r) => live.has(r.run_id)) }, kept: entries.length, dropped };
}
