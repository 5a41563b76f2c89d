/**
 * The scheduler: a pure function from the phase graph and where each plan stands to what
 * starts now. Invariants (checked by property tests):
 * - never more than `maxConcurrent` plans running (running + starting <= cap);
 * - a plan starts only when every prerequisite is done;
 * - a failed prerequisite blocks its dependents (transitively) and nothing else;
 * - plans that need a person are reported, not started, unless checkpoints are included.
 */
export type Strategy = "critical-path" | "fifo";
export const STRATEGIES: readonly Strategy[] = ["critical-path", "fifo"];

/** Where a plan stands, as the scheduler sees it. */
export type SchedState = "completed" | "running" | "failed" | "pending";

export interface SchedPlan {
  id: string;
  /** Plan order in the phase: the tie-breaker. */
  order: number;
  /** Prerequisites in this phase. */
  deps: readonly string[];
  /** Prerequisites in other phases that are not complete yet: the plan cannot start. */
  externalPending: readonly string[];
  autonomous: boolean;
  minutes: number;
  state: SchedState;
  /** Not part of this run (a single-plan run): never started, not queued. */
  hold?: boolean;
}

/**
 * Asked before each ready plan starts, with the plans already chosen to start in this step.
 * A refusal is soft by default: "not with the others", so with nothing running or starting the
 * plan still goes alone (a group too big to run at once falls back to sequential, never to a
 * stall). `hard` means "not even alone": starting it would cross a limit that must hold (the
 * token budget's stop threshold), so it is not started at all and the note says why.
 */
export type BudgetVerdict = { ok: true } | { ok: false; reason: string; hard?: boolean };
export type BudgetCheck = (candidate: string, alreadyStarting: readonly string[]) => BudgetVerdict;

export interface ScheduleInput {
  plans: readonly SchedPlan[];
  maxConcurrent: number;
  strategy: Strategy;
  includeCheckpoints: boolean;
  /** Optional token-budget gate; with none, nothing changes. */
  budget?: BudgetCheck;
}

export interface Waiting {
  id: string;
  /** Prerequisites not done yet; empty when the plan is ready but the cap is full. */
  waitsFor: string[];
  /** Place in the background queue; null for a plan that will need the foreground anyway. */
  position: number | null;
}

export interface Schedule {
  start: string[];
  running: string[];
  waiting: Waiting[];
  blocked: { id: string; blockedBy: string[] }[];
  needsForeground: string[];
  done: string[];
  failed: string[];
  /** Why fewer plans start than the cap allows, when the budget said no. */
  budgetNote?: string;
}

/** Longest remaining path (minutes) from each unfinished plan to the end of the phase. */
export function remainingPath(plans: readonly SchedPlan[]): Map<string, number> {
  const byId = new Map(plans.map((p) => [p.id, p]));
  const dependents = new Map<string, string[]>();
  for (const p of plans) for (const d of p.deps) dependents.set(d, [...(dependents.get(d) ?? []), p.id]);
  const memo = new Map<string, number>();
  const visiting = new Set<string>();
  const rank = (id: string): number => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const p = byId.get(id);
    if (!p || p.state === "completed" || visiting.has(id)) return 0;
    visiting.add(id);
    let tail = 0;
    for (const d of dependents.get(id) ?? []) tail = Math.max(tail, rank(d));
    visiting.delete(id);
    const r = p.minutes + tail;
    memo.set(id, r);
    return r;
  };
  // Iterate from the last plan backwards so recursion depth stays shallow on long chains.
  for (const p of [...plans].sort((a, b) => b.order - a.order)) rank(p.id);
  return memo;
}

export function schedule(input: ScheduleInput): Schedule {
  const { plans } = input;
  const byId = new Map(plans.map((p) => [p.id, p]));
  const out: Schedule = { start: [], running: [], waiting: [], blocked: [], needsForeground: [], done: [], failed: [] };

  // Blocked: a failed prerequisite, or a blocked one, anywhere upstream.
  const blockedBy = new Map<string, string[]>();
  const sorted = [...plans].sort((a, b) => a.order - b.order);
  const isBlocked = (id: string, seen = new Set<string>()): string[] => {
    const known = blockedBy.get(id);
    if (known) return known;
    if (seen.has(id)) return [];
    seen.add(id);
    const p = byId.get(id);
    if (!p || p.state !== "pending") return [];
    const causes = new Set<string>();
    for (const d of p.deps) {
      const dp = byId.get(d);
      if (!dp) continue;
      if (dp.state === "failed") causes.add(d);
      else if (dp.state === "pending" && isBlocked(d, seen).length > 0) causes.add(d);
    }
    const list = [...causes];
    blockedBy.set(id, list);
    return list;
  };

  const ready: SchedPlan[] = [];
  for (const p of sorted) {
    if (p.state === "completed") out.done.push(p.id);
    else if (p.state === "running") out.running.push(p.id);
    else if (p.state === "failed") out.failed.push(p.id);
    else if (p.hold) continue;
    else {
      const causes = isBlocked(p.id);
      if (causes.length > 0) {
        out.blocked.push({ id: p.id, blockedBy: causes });
        continue;
      }
      const waitsFor = [...p.deps.filter((d) => byId.get(d)?.state !== "completed"), ...p.externalPending];
      if (waitsFor.length > 0) out.waiting.push({ id: p.id, waitsFor, position: 0 });
      else if (!p.autonomous && !input.includeCheckpoints) out.needsForeground.push(p.id);
      else ready.push(p);
    }
  }

  const rank = input.strategy === "critical-path" ? remainingPath(plans) : new Map<string, number>();
  const priority = (a: SchedPlan, b: SchedPlan) => (rank.get(b.id) ?? 0) - (rank.get(a.id) ?? 0) || a.order - b.order;
  ready.sort(priority);
  let slots = Math.max(0, input.maxConcurrent - out.running.length);
  const left: SchedPlan[] = [];
  for (const p of ready) {
    if (slots === 0) {
      left.push(p);
      continue;
    }
    const verdict = input.budget ? input.budget(p.id, out.start) : { ok: true as const };
    if (!verdict.ok) {
      // Fewer at once, down to one: with nothing running, the first plan goes unless refused hard.
      if (!verdict.hard && out.start.length === 0 && out.running.length === 0) {
        out.start.push(p.id);
        slots--;
      } else left.push(p);
      out.budgetNote ??= verdict.reason;
      continue;
    }
    out.start.push(p.id);
    slots--;
  }

  // Queue positions: ready-but-capped plans first (in priority order), then waiting ones.
  const queue = [
    ...left.map((p) => ({ id: p.id, waitsFor: [] as string[] })),
    ...out.waiting
      .map((w) => ({ w, p: byId.get(w.id) as SchedPlan }))
      .sort((a, b) => priority(a.p, b.p))
      .map(({ w }) => w),
  ];
  // A plan that needs a person never starts from the queue, so it takes no place in it.
  const foreground = (id: string) => !input.includeCheckpoints && byId.get(id)?.autonomous === false;
  let place = 0;
  out.waiting = queue.map((w) => ({ id: w.id, waitsFor: w.waitsFor, position: foreground(w.id) ? null : ++place }));
  return out;
}
