import { useEnglishMessages } from "../common/zod-messages";
import * as z from "zod/mini";
import { type Diagnostic, diagnostic } from "../common/diagnostic";
import type { Isolation } from "../repo/isolation";
import { repoSettings } from "../repo/repo-settings";
import { DEFAULT_ENGINE, ENGINES, type Engine } from "../workflow/engine";

/**
 * `.planning/config.json`. Unknown keys are kept (other GSD tools own them). Both this tool's
 * own `async.max_concurrent` and upstream GSD's `parallelization.max_concurrent_agents` are
 * understood; `parallelization` may also be a plain boolean, as many real configs have it.
 */
const positiveInt = z.int().check(z.minimum(1), z.maximum(64));

const parallelization = z.union([
  z.boolean(),
  z.looseObject({
    enabled: z.optional(z.boolean()),
    plan_level: z.optional(z.boolean()),
    max_concurrent_agents: z.optional(positiveInt),
    skip_checkpoints: z.optional(z.boolean()),
    // Fractions are allowed: a test (or an impatient user) may want seconds, not minutes.
    stall_minutes: z.optional(z.number().check(z.positive(), z.maximum(1440))),
    restart_stalled: z.optional(z.boolean()),
    max_restarts: z.optional(z.int().check(z.minimum(0), z.maximum(10))),
    // Checked one value at a time in `repoSettings`, so the message names the bad one.
    isolation: z.optional(z.unknown()),
    exclusive: z.optional(z.unknown()),
    // Checked on its own (engineSetting), so a bad value does not reset the other settings.
    engine: z.optional(z.unknown()),
  }),
]);

export const ConfigFileSchema = z.looseObject({
  mode: z.optional(z.enum(["yolo", "interactive"])),
  parallelization: z.optional(parallelization),
  async: z.optional(z.looseObject({ max_concurrent: z.optional(positiveInt) })),
});

export type ConfigFile = z.infer<typeof ConfigFileSchema>;

/** What the engine uses, with defaults filled in. */
export interface Settings {
  mode: "yolo" | "interactive";
  maxConcurrent: number;
  /** Plans needing a person are not started in the background unless this is false. */
  skipCheckpoints: boolean;
  parallel: boolean;
  /** `parallelization.isolation`: one shared working tree (default) or one git worktree per plan. */
  isolation: Isolation;
  /** `parallelization.exclusive`: named shell commands the user wrote, run one at a time by `gsd-async exclusive`. */
  exclusive: Record<string, string>;
  /** `parallelization.stall_minutes` / `restart_stalled` / `max_restarts`: see StallPolicy in liveness.ts. */
  stall: StallPolicy;
  /** `parallelization.engine`: background agents one by one (default) or one Claude Code Workflow. */
  engine: Engine;
  /** The file as read, unknown keys included, so writers can preserve them. */
  raw: Record<string, unknown>;
}

/**
 * A stalled agent is alive (or not known dead) but has produced nothing for a while: it is shown,
 * and with `restart` on it is stopped and its plan retried, at most `maxRestarts` times per plan.
 */
export interface StallPolicy {
  minutes: number;
  restart: boolean;
  maxRestarts: number;
}

export const DEFAULT_STALL_POLICY: StallPolicy = { minutes: 20, restart: false, maxRestarts: 2 };

export const DEFAULT_MAX_CONCURRENT = 3;

export function defaultSettings(): Settings {
  return {
    mode: "interactive",
    maxConcurrent: DEFAULT_MAX_CONCURRENT,
    skipCheckpoints: true,
    parallel: true,
    isolation: "shared",
    exclusive: {},
    stall: DEFAULT_STALL_POLICY,
    engine: DEFAULT_ENGINE,
    raw: {},
  };
}

/** Reads config text; problems become diagnostics and defaults are used for the bad parts. */
export function parseConfig(text: string, file: string): { settings: Settings; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    diagnostics.push(diagnostic("error", "config-invalid", `not valid JSON (${(err as Error).message}); defaults are used`, { file }));
    return { settings: defaultSettings(), diagnostics };
  }
  useEnglishMessages();
  let parsed = ConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      diagnostics.push(diagnostic("error", "config-invalid", `${issue.path.join(".") || "(root)"}: ${issue.message}; defaults are used`, { file }));
    }
    // Drop only the values that failed, so one bad setting does not reset the others.
    const pruned = isRecord(json)
      ? withoutPaths(
          json,
          parsed.error.issues.map((i) => i.path),
        )
      : undefined;
    parsed = pruned === undefined ? parsed : ConfigFileSchema.safeParse(pruned);
    if (!parsed.success) return { settings: defaultSettings(), diagnostics };
  }
  const c = parsed.data;
  const par = typeof c.parallelization === "object" ? c.parallelization : undefined;
  const own = c.async?.max_concurrent;
  const upstream = par?.max_concurrent_agents;
  if (own !== undefined && upstream !== undefined && own !== upstream) {
    diagnostics.push(
      diagnostic("info", "config-invalid", `async.max_concurrent (${own}) and parallelization.max_concurrent_agents (${upstream}) differ; using ${own}`, {
        file,
      }),
    );
  }
  return {
    settings: {
      mode: c.mode ?? "interactive",
      maxConcurrent: own ?? upstream ?? DEFAULT_MAX_CONCURRENT,
      skipCheckpoints: par?.skip_checkpoints ?? true,
      parallel: typeof c.parallelization === "boolean" ? c.parallelization : (par?.enabled ?? true),
      ...repoSettings(par, file, diagnostics),
      stall: {
        minutes: par?.stall_minutes ?? DEFAULT_STALL_POLICY.minutes,
        restart: par?.restart_stalled ?? DEFAULT_STALL_POLICY.restart,
        maxRestarts: par?.max_restarts ?? DEFAULT_STALL_POLICY.maxRestarts,
      },
      engine: engineSetting(par?.engine, file, diagnostics),
      raw: json as Record<string, unknown>,
    },
    diagnostics,
  };
}

function engineSetting(value: unknown, file: string, diagnostics: Diagnostic[]): Engine {
  if (value === undefined) return DEFAULT_ENGINE;
  if ((ENGINES as readonly unknown[]).includes(value)) return value as Engine;
  diagnostics.push(diagnostic("error", "config-invalid", `parallelization.engine: expected one of ${ENGINES.join(", ")}; ${DEFAULT_ENGINE} is used`, { file }));
  return DEFAULT_ENGINE;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A copy of `obj` without the values at `paths`; `undefined` when a path is the root itself. */
function withoutPaths(obj: Record<string, unknown>, paths: readonly (readonly PropertyKey[])[]): Record<string, unknown> | undefined {
  const copy = structuredClone(obj);
  for (const path of paths) {
    if (path.length === 0) return undefined;
    let node: unknown = copy;
    for (const key of path.slice(0, -1)) node = isRecord(node) ? node[String(key)] : undefined;
    if (isRecord(node)) delete node[String(path[path.length - 1])];
  }
  return copy;
}
