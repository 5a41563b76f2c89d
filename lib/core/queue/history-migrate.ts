import { type FileProblem, parseJsonObject, schemaProblems } from "../common/file-problem";
import { useEnglishMessages } from "../common/zod-messages";
import { type History, HISTORY_VERSION, HistorySchema, DEFAULT_MAX_ENTRIES } from "./history-schema";
import { type RunStatus, backgroundStatusOf } from "./run-status";

/** Why a history file cannot be used as it is. The file is never rewritten when this happens. */
export type HistoryProblem = FileProblem;

export type ReadHistory = { ok: true; history: History; migratedFrom?: string } | { ok: false; problems: HistoryProblem[] };

/** Seed (1.0) status words and what they mean in the 2.0 state machine. */
const V1_STATUS: Record<string, RunStatus> = {
  queued: "queued",
  pending: "queued",
  waiting: "queued",
  spawned: "spawned",
  running: "spawned",
  in_progress: "spawned",
  completed: "completed",
  complete: "completed",
  done: "completed",
  failed: "failed",
  error: "failed",
  interrupted: "interrupted",
  stale: "interrupted",
  blocked: "blocked",
  cancelled: "cancelled",
  canceled: "cancelled",
};

const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null);

function migrateV1(json: Record<string, unknown>): ReadHistory {
  const problems: HistoryProblem[] = [];
  const raw = Array.isArray(json.entries) ? json.entries : [];
  if (!Array.isArray(json.entries)) problems.push({ path: "entries", message: "expected a list of entries" });
  const entries = raw.flatMap((e: unknown, i) => {
    if (typeof e !== "object" || e === null) {
      problems.push({ path: `entries[${i}]`, message: "expected an object" });
      return [];
    }
    const o = e as Record<string, unknown>;
    const word = String(o.status ?? o.background_status ?? "").toLowerCase();
    const status = V1_STATUS[word];
    if (!status) {
      problems.push({ path: `entries[${i}].status`, message: `unknown status '${String(o.status)}'` });
      return [];
    }
    const timestamp = str(o.timestamp) ?? new Date(0).toISOString();
    // Unknown fields ride along; the seed's own fields keep their values.
    return [
      {
        ...o,
        agent_id: str(o.agent_id),
        task_description: str(o.task_description) ?? "",
        phase: str(o.phase) ?? "",
        plan: str(o.plan) ?? "",
        segment: typeof o.segment === "number" ? o.segment : null,
        timestamp,
        status,
        completion_timestamp: str(o.completion_timestamp),
        execution_mode: o.execution_mode === "foreground" ? "foreground" : "background",
        output_file: str(o.output_file),
        background_status: backgroundStatusOf(status),
        queue_position: typeof o.queue_position === "number" && o.queue_position > 0 ? Math.floor(o.queue_position) : null,
        plan_file: str(o.plan_file),
        phase_dir: str(o.phase_dir),
        depends_on: Array.isArray(o.depends_on) ? o.depends_on.map(String) : [],
        run_id: str(o.run_id) ?? "legacy",
        attempt: typeof o.attempt === "number" && o.attempt >= 1 ? Math.floor(o.attempt) : 1,
        session_id: str(o.session_id),
        error: str(o.error),
        dispatched_at: null,
        blocked_by: [],
        transitions: [{ to: status, at: timestamp, via: "migrate-1.0" }],
      },
    ];
  });
  if (problems.length > 0) return { ok: false, problems };
  const maxEntries = typeof json.max_entries === "number" && json.max_entries >= 1 ? Math.floor(json.max_entries) : DEFAULT_MAX_ENTRIES;
  const { version: _v, max_entries: _m, entries: _e, ...rest } = json;
  return validate({ ...rest, version: HISTORY_VERSION, max_entries: maxEntries, entries, runs: [] }, "1.0");
}

function validate(json: unknown, migratedFrom?: string): ReadHistory {
  useEnglishMessages();
  const parsed = HistorySchema.safeParse(json);
  if (!parsed.success) {
    return { ok: false, problems: schemaProblems(parsed.error.issues) };
  }
  // background_status is derived: a hand-edited value that disagrees is corrected, not trusted.
  for (const e of parsed.data.entries) e.background_status = backgroundStatusOf(e.status);
  return migratedFrom === undefined ? { ok: true, history: parsed.data } : { ok: true, history: parsed.data, migratedFrom };
}

/** 2.0 kept a hand-out as `queued` with `dispatched_at` set; 2.1 names it `dispatched`. */
function migrateV2(json: Record<string, unknown>): ReadHistory {
  const entries = Array.isArray(json.entries)
    ? json.entries.map((e: unknown) => {
        if (typeof e !== "object" || e === null) return e;
        const o = e as Record<string, unknown>;
        return o.status === "queued" && typeof o.dispatched_at === "string" ? { ...o, status: "dispatched" } : o;
      })
    : json.entries;
  return validate({ ...json, version: HISTORY_VERSION, entries }, "2.0");
}

/** Parses and validates history text, migrating versions 1.0 and 2.0. Pure: never touches the file. */
export function readHistoryText(text: string): ReadHistory {
  const parsed = parseJsonObject(text);
  if (!parsed.ok) return parsed;
  const json = parsed.json;
  const version = json.version;
  if (version === "1.0" || version === 1 || version === "1") return migrateV1(json);
  if (version === "2.0") return migrateV2(json);
  if (version === HISTORY_VERSION) return validate(json);
  return {
    ok: false,
    problems: [{ path: "version", message: `unsupported version '${String(version)}' (this gsd-async reads 1.0, 2.0 and ${HISTORY_VERSION})` }],
  };
}
