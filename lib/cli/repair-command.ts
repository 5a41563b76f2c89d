import { RepairJson, jsonOutput } from "../json/queue-json";
import { existsSync, readFileSync } from "node:fs";
import { JSON_SCHEMA_VERSION } from "../json/analysis-json";
import { salvageHistory } from "../core/queue/history-salvage";
import { readHistoryText } from "../core/queue/history-migrate";
import { HISTORY_FILE, backupHistory, historyPath, withHistoryLock, writeHistory } from "../shell/history-store";
import { openProject } from "../shell/project";
import type { CommandResult } from "./commands";
import type { CommonOptions, Io } from "./context";

/**
 * `gsd-async repair`: for a history file that commands refuse to use. The original is moved
 * aside as a `.bak` (never deleted), and a new file is written from the entries that still
 * validate. A valid file is left alone (migrating a 1.0 file happens on the next write anyway).
 */
export async function repairCommand(io: Io, flags: CommonOptions): Promise<CommandResult> {
  const opened = openProject(flags.cwd ?? io.cwd);
  if (!opened.ok) return { kind: "noProject", message: opened.reason };
  const root = opened.project.root;
  const file = historyPath(root);
  const say = (o: Record<string, unknown>, text: string) =>
    io.out(flags.json ? jsonOutput(RepairJson, { schemaVersion: JSON_SCHEMA_VERSION, command: "repair", ...o }) : text + "\n");
  if (!existsSync(file)) {
    say({ repaired: false, reason: "missing" }, `${HISTORY_FILE} does not exist: nothing to repair.`);
    return "ok";
  }
  const done = await withHistoryLock(root, async () => {
    const text = readFileSync(file, "utf8");
    if (readHistoryText(text).ok) return undefined;
    const salvage = salvageHistory(text);
    const backup = backupHistory(root, io.now());
    await writeHistory(root, salvage.history);
    return { salvage, backup };
  });
  if (!done) {
    say({ repaired: false, reason: "valid" }, `${HISTORY_FILE} is valid: nothing to repair.`);
    return "ok";
  }
  const { salvage, backup } = done;
  say(
    { repaired: true, backup, kept: salvage.kept, dropped: salvage.dropped },
    [
      `Backed up the broken file to ${backup}.`,
      `Rebuilt ${HISTORY_FILE}: kept ${salvage.kept} entr${salvage.kept === 1 ? "y" : "ies"}, dropped ${salvage.dropped.length}.`,
      ...salvage.dropped.map((d) => `  dropped ${d.index >= 0 ? `entries[${d.index}]` : "everything"}: ${d.reason}`),
      "SUMMARY.md files still mark finished plans; `gsd-async start` resumes the phase.",
    ].join("\n"),
  );
  return "ok";
}
