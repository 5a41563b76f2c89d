import { MinHeap } from "../common/min-heap";
import { type SchedPlan, type Strategy, schedule } from "./scheduler";

/** A plan as the simulator replays it: from scratch, nothing done, every plan runnable. */
export interface SimPlan {
  id: string;
  order: number;
  deps: readonly string[];
  minutes: number;
  /** Wave (1-based longest-path level) used by the wave-barrier policy. */
  wave: number;
}

export interface Slot {
  id: string;
  start: number;
  end: number;
  /** Which of the `cap` lanes ran it, for drawing. */
  lane: number;
}

export interface SimResult {
  makespan: number;
  slots: Slot[];
}

export interface Comparison {
  sequential: number;
  waveBarrier: number;
  scheduler: number;
  lowerBound: number;
  criticalPath: number;
  totalWork: number;
  timelines: { waveBarrier: Slot[]; scheduler: Slot[] };
}

/** Assigns lanes so a chart can draw at most `cap` bars at a time. */
function laneKeeper(cap: number) {
  const free = new MinHeap<number>((a, b) => a < b);
  for (let i = 0; i < cap; i++) free.push(i);
  return { take: () => free.pop() ?? 0, give: (l: number) => free.push(l) };
}

/**
 * Replays the real scheduler against a fake clock: at each moment, ask `schedule` what starts,
 * advance to the next finish, mark it done, repeat. The same function drives live runs.
 */
export function simulateScheduler(plans: readonly SimPlan[], cap: number, strategy: Strategy = "critical-path"): SimResult {
  const state = new Map<string, SchedPlan["state"]>(plans.map((p) => [p.id, "pending"]));
  const running = new MinHeap<{ id: string; end: number; lane: number }>((a, b) => a.end < b.end || (a.end === b.end && a.id < b.id));
  const lanes = laneKeeper(cap);
  const slots: Slot[] = [];
  const byId = new Map(plans.map((p) => [p.id, p]));
  let now = 0;
  for (;;) {
    const s = schedule({
      plans: plans.map((p) => ({
        id: p.id,
        order: p.order,
        deps: p.deps,
        externalPending: [],
        autonomous: true,
        minutes: p.minutes,
        state: state.get(p.id) ?? "pending",
      })),
      maxConcurrent: cap,
      strategy,
      includeCheckpoints: true,
    });
    for (const id of s.start) {
      const p = byId.get(id) as SimPlan;
      const lane = lanes.take();
      state.set(id, "running");
      running.push({ id, end: now + p.minutes, lane });
      slots.push({ id, start: now, end: now + p.minutes, lane });
    }
    const next = running.pop();
    if (!next) break;
    now = next.end;
    state.set(next.id, "completed");
    lanes.give(next.lane);
    // Everything finishing at the same moment completes before the next decision.
    while (running.peek() && (running.peek() as { end: number }).end === now) {
      const same = running.pop() as { id: string; lane: number };
      state.set(same.id, "completed");
      lanes.give(same.lane);
    }
  }
  return { makespan: now, slots };
}

/** GSD's own way: every plan of wave N finishes before any plan of wave N+1 starts; at most `cap` at once. */
export function simulateWaveBarrier(plans: readonly SimPlan[], cap: number): SimResult {
  const waves = new Map<number, SimPlan[]>();
  for (const p of plans) waves.set(p.wave, [...(waves.get(p.wave) ?? []), p]);
  let now = 0;
  const slots: Slot[] = [];
  for (const w of [...waves.keys()].sort((a, b) => a - b)) {
    const members = (waves.get(w) ?? []).sort((a, b) => a.order - b.order);
    const laneFree = Array.from({ length: cap }, () => now);
    for (const p of members) {
      let lane = 0;
      for (let i = 1; i < cap; i++) if ((laneFree[i] ?? 0) < (laneFree[lane] ?? 0)) lane = i;
      const start = laneFree[lane] ?? now;
      laneFree[lane] = start + p.minutes;
      slots.push({ id: p.id, start, end: start + p.minutes, lane });
    }
    now = Math.max(now, ...laneFree);
  }
  return { makespan: now, slots };
}

export function criticalPathMinutes(plans: readonly SimPlan[]): number {
  const byId = new Map(plans.map((p) => [p.id, p]));
  const finish = new Map<string, number>();
  const visit = (id: string, stack: Set<string>): number => {
    const known = finish.get(id);
    if (known !== undefined) return known;
    const p = byId.get(id);
    if (!p || stack.has(id)) return 0;
    stack.add(id);
    let start = 0;
    for (const d of p.deps) start = Math.max(start, visit(d, stack));
    stack.delete(id);
    finish.set(id, start + p.minutes);
    return start + p.minutes;
  };
  let best = 0;
  for (const p of [...plans].sort((a, b) => a.order - b.order)) best = Math.max(best, visit(p.id, new Set()));
  return best;
}

export function compareSchedules(plans: readonly SimPlan[], cap: number, strategy: Strategy = "critical-path"): Comparison {
  const totalWork = plans.reduce((s, p) => s + p.minutes, 0);
  const cp = criticalPathMinutes(plans);
  const wave = simulateWaveBarrier(plans, cap);
  const dyn = simulateScheduler(plans, cap, strategy);
  return {
    sequential: totalWork,
    waveBarrier: wave.makespan,
    scheduler: dyn.makespan,
    lowerBound: Math.max(cp, totalWork / cap),
    criticalPath: cp,
    totalWork,
    timelines: { waveBarrier: wave.slots, scheduler: dyn.slots },
  };
}
