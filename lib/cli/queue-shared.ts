import type { QueueOptions } from "../core/queue/queue";
import type { Strategy } from "../core/schedule/scheduler";
import { nodeCrypto } from "../shell/lazy-deps";
import type { CommonOptions, Io, Loaded } from "./context";

/** What the queue commands (`start`, `status`, `spawned`, `complete`, `fail`) share. */
export interface QueueFlags extends CommonOptions {
  maxConcurrent?: number;
  strategy?: Strategy;
  includeCheckpoints?: boolean;
  dryRun?: boolean;
}

/** Diagnostics that make a phase unsafe to run. An undeclared write conflict is not one: it is ordered. */
export const REFUSE = new Set(["cycle", "depends-unresolved", "plan-unreadable", "frontmatter-invalid", "frontmatter-unsafe-engine"]);

export function newRunId(now: Date): string {
  return `r${now.toISOString().replace(/[-:]/g, "").replace(/\..*$/, "")}-${nodeCrypto().randomBytes(2).toString("hex")}`;
}

export function queueOptions(io: Io, loaded: Extract<Loaded, { ok: true }>, flags: QueueFlags, mode: QueueOptions["mode"]): QueueOptions {
  const s = loaded.project.settings;
  return {
    now: io.now().toISOString(),
    sessionId: io.env.CLAUDE_CODE_SESSION_ID ?? null,
    maxConcurrent: flags.maxConcurrent ?? s.maxConcurrent,
    strategy: flags.strategy ?? "critical-path",
    includeCheckpoints: flags.includeCheckpoints ?? !s.skipCheckpoints,
    mode,
    newRunId: newRunId(io.now()),
    projectRoot: loaded.project.root,
    helper: io.helper,
    leaseMinutes: 3,
    staleMinutes: 240,
  };
}
