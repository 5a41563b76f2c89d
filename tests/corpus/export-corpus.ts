/**
 * Every corpus phase that has work for CI, exported as a workflow at caps 1, 3 and 5: actionlint finds nothing,
 * `needs:` match the phase's graph (worked out here with this test's own code from the
 * analysis edges: unfinished plans, prerequisites through any path, transitively reduced), the
 * lanes stay within the cap and each lane is one chain of `needs`, and a dry run of the YAML
 * with some plans failing, at the exported cap and at smaller ones chosen at dispatch, keeps
 * the cap and skips exactly the dependents of what failed.
 */
import type { PhaseAnalysis } from "../../lib/core/graph/analysis";
import { githubWorkflow } from "../../lib/core/export/github-workflow";
import { phaseJobs } from "../../lib/core/export/phase-jobs";
import { REFUSE } from "../../lib/core/queue/start-gate";
import { actionlint } from "../helpers/actionlint";
import { type RawJob, type Workflow, dryRun, needsOf, prepareOutputs, readWorkflow, waitStepTarget } from "../helpers/actions-runner";
import type { CorpusPhase } from "./corpus-phase";

interface Case {
  name: string;
  analysis: PhaseAnalysis;
}

function corpusPhases(corpus: readonly CorpusPhase[]): Case[] {
  return corpus
    .filter(({ analysis }) => !analysis.diagnostics.some((d) => d.severity === "error" && REFUSE.has(d.code)))
    .map(({ project, analysis }) => ({ name: `${project} ${analysis.phase.dir}`, analysis }));
}

/** What each unfinished autonomous plan must wait for, by this test's own reading of the edges. */
function expectedNeeds(a: PhaseAnalysis): { jobs: string[]; needs: Map<string, string[]>; gated: Set<string> } {
  const open = a.plans.filter((p) => p.status !== "complete");
  const openIds = new Set(open.map((p) => p.id));
  const auto = new Set(open.filter((p) => p.autonomous).map((p) => p.id));
  const up = new Map<string, Set<string>>();
  for (const p of open) {
    const seen = new Set<string>();
    const stack = [p.id];
    while (stack.length > 0) {
      const cur = stack.pop() as string;
      for (const e of a.edges) {
        if (e.external || e.to !== cur || !openIds.has(e.from) || seen.has(e.from)) continue;
        seen.add(e.from);
        stack.push(e.from);
      }
    }
    up.set(p.id, seen);
  }
  const needs = new Map<string, string[]>();
  const gated = new Set<string>();
  for (const id of auto) {
    const anc = [...(up.get(id) ?? [])];
    const jobsUp = anc.filter((x) => auto.has(x));
    needs.set(id, jobsUp.filter((x) => !jobsUp.some((y) => y !== x && up.get(y)?.has(x))).sort());
    if (anc.some((x) => !auto.has(x)) || a.edges.some((e) => e.external && !e.satisfied && e.to === id)) gated.add(id);
  }
  return { jobs: [...auto], needs, gated };
}

const plan = (w: Workflow, job: string) => w.jobs[job]?.env?.GSD_PLAN_ID as string;
const planJobs = (w: Workflow) => Object.keys(w.jobs).filter((k) => k.startsWith("plan-"));
/** Needs the job's `if:` requires to have succeeded: its graph prerequisites. */
const required = (w: Workflow, job: string) =>
  needsOf(w.jobs[job] as RawJob).filter((n) => n !== "prepare" && (w.jobs[job]?.if ?? "").includes(`needs.${n}.result == 'success'`));
const laneOf = (w: Workflow, job: string) => Number(/\(lane (\d+)\)$/.exec(w.jobs[job]?.name ?? "")?.[1]);

/** Registers the tests; `corpus.test.ts` calls it with the phases it has analysed (each analysed once for every corpus check). */
export function exportCorpusTests(corpus: readonly CorpusPhase[]): void {
  const cases = corpusPhases(corpus).filter((c) => expectedNeeds(c.analysis).jobs.length > 0);

  describe("export github-actions on every corpus phase with work left", () => {
    it("finds enough phases to mean something", () => {
      expect(cases.length).toBeGreaterThanOrEqual(40);
    });

    it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
      const expected = expectedNeeds(c.analysis);
      for (const cap of [1, 3, 5]) {
        const text = githubWorkflow({ phase: c.analysis.phase, projectDir: ".", jobs: phaseJobs(c.analysis, cap), cap, runsOn: "ubuntu-latest" });
        if (cap === 3) expect(await actionlint(text)).toEqual([]);
        const w = readWorkflow(text);
        const jobs = planJobs(w);
        expect(jobs.map((j) => plan(w, j)).sort()).toEqual([...expected.jobs].sort());
        for (const j of jobs)
          expect(
            required(w, j)
              .map((n) => plan(w, n))
              .sort(),
          ).toEqual(expected.needs.get(plan(w, j)));
        // Lanes: at most `cap`, and any two jobs of one lane are ordered by needs (one waits for the other).
        const upstream = new Map<string, Set<string>>();
        const up = (j: string): Set<string> => {
          const known = upstream.get(j);
          if (known) return known;
          const acc = new Set<string>();
          for (const n of needsOf(w.jobs[j] as RawJob)) {
            acc.add(n);
            for (const x of up(n)) acc.add(x);
          }
          upstream.set(j, acc);
          return acc;
        };
        const lanes = new Map<number, string[]>();
        for (const j of jobs) lanes.set(laneOf(w, j), [...(lanes.get(laneOf(w, j)) ?? []), j]);
        expect(lanes.size).toBeLessThanOrEqual(cap);
        for (const members of lanes.values())
          for (const a of members) for (const b of members) if (a < b) expect([a, b, up(a).has(b) || up(b).has(a)]).toEqual([a, b, true]);
        // Dry runs with every third plan failing, at the exported cap and at each smaller one chosen at dispatch.
        const failing = new Set(expected.jobs.filter((_, i) => i % 3 === 1));
        for (const chosen of [...new Set([cap, 2, 1])].filter((c) => c <= cap)) {
          const report = dryRun(w, {
            inputs: { "max-concurrent": String(chosen) },
            fake(job) {
              if (job === "prepare") return { result: "success", outputs: prepareOutputs(w, new Set()), minutes: 1 };
              if (job === "summary") return { result: "success", minutes: 1 };
              const p = plan(w, job);
              const waitsFor = waitStepTarget(w, job, String(chosen));
              return {
                result: failing.has(p) ? "failure" : "success",
                minutes: 3 + ((p.length * 7 + chosen) % 11),
                ...(waitsFor === undefined ? {} : { waitsFor }),
              };
            },
          });
          expect(report.peak(jobs)).toBeLessThanOrEqual(chosen);
          const want = new Map<string, string>();
          const resolveResult = (p: string): string => {
            const known = want.get(p);
            if (known) return known;
            const needsOk = (expected.needs.get(p) ?? []).every((d) => resolveResult(d) === "success");
            const r = !needsOk || expected.gated.has(p) ? "skipped" : failing.has(p) ? "failure" : "success";
            want.set(p, r);
            return r;
          };
          for (const j of jobs) expect([plan(w, j), report.jobs.get(j)?.result]).toEqual([plan(w, j), resolveResult(plan(w, j))]);
          expect(report.jobs.get("summary")?.result).toBe("success");
        }
      }
    });
  });
}
