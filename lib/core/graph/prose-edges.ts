import { samePhaseNumber } from "../plan/phase-number";
import { normalizePlanToken } from "../plan/plan-name";
import type { PlanMention } from "../plan/prose-links";
import type { EdgeSet } from "./edges";

/** What prose inference needs to know about each plan of the phase. */
export interface ProsePlan {
  id: string;
  planToken?: string;
  mentions: readonly PlanMention[];
}

/**
 * Adds `prose` edges: a plan that names an earlier plan of its own phase in a sentence waits for
 * it, with the sentence as the reason. The weakest kind, and bounded like the file rules:
 * - only plans of this phase count; a mention with another phase's number (`16-01` in phase
 *   17, "Phase 16 Plan 01") never makes a same-phase edge;
 * - only mentions of a plan placed before the mentioning one in `topo` (the authors' order)
 *   count: "Plan 04 will use this" is an outlook, not a prerequisite, and edges that only point
 *   forward can never close a cycle.
 */
export function inferProseEdges(plans: readonly ProsePlan[], phaseNumber: string | undefined, topo: readonly string[], edges: EdgeSet): void {
  const pos = new Map(topo.map((id, i) => [id, i]));
  const byToken = new Map<string, string[]>();
  for (const p of plans) {
    if (p.planToken === undefined) continue;
    const key = normalizePlanToken(p.planToken);
    byToken.set(key, [...(byToken.get(key) ?? []), p.id]);
  }
  for (const p of plans) {
    const me = pos.get(p.id) ?? 0;
    for (const m of p.mentions) {
      if (m.phase !== undefined && (phaseNumber === undefined || !samePhaseNumber(m.phase, phaseNumber))) continue;
      const targets = byToken.get(normalizePlanToken(m.plan)) ?? [];
      // A token several plans share (`01` and `01a` do not; two `01` files do) names no one plan.
      if (targets.length !== 1) continue;
      const from = targets[0] as string;
      if (m.dotted === true && !from.includes(".")) continue;
      if (from === p.id || (pos.get(from) ?? Infinity) >= me) continue;
      edges.add(from, p.id, { kind: "prose", line: m.line, text: m.text });
    }
  }
}
