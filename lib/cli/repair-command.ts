import { readFileSync } from "node:fs";
import { salvageHistory } from "../core/queue/history-salvage";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { RepairJson, jsonOutput } from "../json/queue-json";
import { BUDGET_STORE } from "../shell/budget-store";
import { withFileLock } from "../shell/file-lock";
import { HISTORY_STORE } from "../shell/history-store";
import { type JsonStore, backupStore, storePath, writeStore } from "../shell/json-store";
import { openProject } from "../shell/project";
import { ioError } from "../shell/state-errors";
import type { CommandResult } from "./commands";
import type { CommonOptions, Io } from "./context";

interface Repaired {
  file: string;
  repaired: boolean;
  reason?: "missing" | "valid";
  backup?: string;
  kept?: number;
  dropped?: { index: number; reason: string }[];
}

/**
 * Mends one state file under its lock: a valid or missing file is left alone; an unusable one is
 * moved aside as a `.bak` (never deleted) and replaced by what still validates. For the queue
 * that is every entry and run that validates; a token ledger cannot be partly trusted (its sums
 * would be wrong), so it is moved aside and not recreated: `budget init` starts a new one.
 */
async function repairOne<T>(
  io: Io,
  root: string,
  store: JsonStore<T>,
  rebuild: (text: string) => { value: T; kept: number; dropped: Repaired["dropped"] } | undefined,
): Promise<Repaired> {
  const abs = storePath(root, store);
  return withFileLock(abs, async () => {
    let text: string;
    try {
      text = readFileSync(abs, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException)?.code === "ENOENT") return { file: store.file, repaired: false, reason: "missing" };
      throw ioError(store.file, err, "read");
    }
    if (store.parse(text).ok) return { file: store.file, repaired: false, reason: "valid" };
    const backup = backupStore(root, store, io.now());
    const rebuilt = rebuild(text);
    if (!rebuilt) return { file: store.file, repaired: true, backup, kept: 0, dropped: [] };
    await writeStore(root, store, rebuilt.value, null);
    return { file: store.file, repaired: true, backup, kept: rebuilt.kept, ...(rebuilt.dropped ? { dropped: rebuilt.dropped } : {}) };
  });
}

export async function repairCommand(io: Io, flags: CommonOptions): Promise<CommandResult> {
  const opened = openProject(flags.cwd ?? io.cwd);
  if (!opened.ok) return { kind: "noProject", message: opened.reason };
  const root = opened.project.root;
  const history = await repairOne(io, root, HISTORY_STORE, (text) => {
    const s = salvageHistory(text);
    return { value: s.history, kept: s.kept, dropped: s.dropped };
  });
  const ledger = await repairOne(io, root, BUDGET_STORE, () => undefined);
  const say = (r: Repaired) => {
    if (!r.repaired) return r.reason === "missing" ? `${r.file} does not exist: nothing to repair.` : `${r.file} is valid: nothing to repair.`;
    if (r.file === BUDGET_STORE.file) return `Moved the broken ${r.file} aside to ${r.backup}; \`gsd-async budget init\` starts a new ledger.`;
    return [
      `Backed up the broken file to ${r.backup}.`,
      `Rebuilt ${r.file}: kept ${r.kept} entr${r.kept === 1 ? "y" : "ies"}, dropped ${r.dropped?.length ?? 0}.`,
      ...(r.dropped ?? []).map((d) => `  dropped ${d.index >= 0 ? `entries[${d.index}]` : "everything"}: ${d.reason}`),
      "SUMMARY.md files still mark finished plans; starting the phase again resumes it.",
    ].join("\n");
  };
  if (flags.json) {
    const { file: _f, ...h } = history;
    io.out(jsonOutput(RepairJson, { schemaVersion: JSON_SCHEMA_VERSION, command: "repair", ...h, ledger }));
  } else io.out(`${say(history)}\n${say(ledger)}\n`);
  return "ok";
}
