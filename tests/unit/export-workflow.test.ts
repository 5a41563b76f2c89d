import fc from "fast-check";
import { parse } from "yaml";
import { type PhaseAnalysis, analyzePhase } from "../../lib/core/graph/analysis";
import { agentPrompt, githubWorkflow, planCondition } from "../../lib/core/export/github-workflow";
import { phaseJobs } from "../../lib/core/export/phase-jobs";
import { expr, literalText, script, yamlDocument } from "../../lib/core/export/yaml-text";
import type { PhaseListing, PlanningTree } from "../../lib/core/plan/planning-tree";

const DIR = ".planning/phases/04-api";
const fm = (...lines: string[]) => ["---", "phase: 04-api", ...lines, "---", "", "Body."].join("\n");
function run(files: Record<string, string>, others: PhaseListing[] = []): PhaseAnalysis {
  const phase: PhaseListing = { dir: DIR, name: "04-api", number: "04", container: "phases", active: true, files: Object.keys(files) };
  const tree: PlanningTree = { root: ".planning", phases: [...others, phase] };
  return analyzePhase({ tree, phase, texts: new Map(Object.entries(files).map(([n, t]) => [`${DIR}/${n}`, t])) });
}
/**
 * GitHub's pass over a string: each `${{ ... }}` (up to the first `}}` outside a '...' literal)
 * is an expression. Returns the text with the escape `${{ '${{' }}` evaluated, and every other
 * expression found (a live one, which text must never contain).
 */
function githubPass(v: string): { text: string; live: string[] } {
  let text = "";
  const live: string[] = [];
  let i = 0;
  for (;;) {
    const at = v.indexOf("${{", i);
    if (at < 0) return { text: text + v.slice(i), live };
    let j = at + 3;
    let quoted = false;
    for (; j < v.length; j++) {
      if (v[j] === "'") quoted = !quoted;
      else if (!quoted && v.startsWith("}}", j)) break;
    }
    const body = v.slice(at + 3, j);
    if (body === " '${{' ") text += v.slice(i, at) + "${{";
    else {
      live.push(body);
      text += v.slice(i, j + 2);
    }
    i = j + 2;
  }
}
const evaluated = (s: string) => githubPass(s).text;

describe("yaml-text", () => {
  it("any text in keys and values reads back as itself (after GitHub's expression pass), and cannot add structure", () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ unit: "binary", maxLength: 30 }), fc.string({ unit: "binary", maxLength: 30 }), { maxKeys: 6 }),
        fc.array(fc.string({ unit: "binary", maxLength: 30 }), { maxLength: 4 }),
        (m, comments) => {
          const text = yamlDocument({ root: m, after: "end" }, comments);
          const back = parse(text) as { root: Record<string, string>; after: string };
          expect(Object.keys(back)).toEqual(["root", "after"]);
          expect(back.after).toBe("end");
          expect(Object.fromEntries(Object.entries(back.root).map(([k, v]) => [evaluated(k), evaluated(v)]))).toEqual(m);
        },
      ),
    );
  });

  it("text never carries a live expression; only expr() does", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("${{", "}}", "'", " ", "x", "${{ '${{' }}", "secrets.T")).map((p) => p.join("")),
        (s) => {
          const v = (parse(yamlDocument({ v: s })) as { v: string }).v;
          expect(githubPass(v)).toEqual({ text: s, live: [] });
        },
      ),
    );
    expect(parse(yamlDocument({ v: expr("${{ github.ref }}") }))).toEqual({ v: "${{ github.ref }}" });
    expect(literalText("a${{b")).toBe("a${{ '${{' }}b");
  });

  it("writes scripts as literal blocks and lists of maps", () => {
    const text = yamlDocument({ steps: [{ run: script("echo one\n\necho two\n"), id: "s" }, "plain"], empty: [], none: {} });
    expect(parse(text)).toEqual({ steps: [{ run: "echo one\n\necho two\n", id: "s" }, "plain"], empty: [], none: {} });
  });
});

describe("phaseJobs", () => {
  it("drops completed prerequisites, waits through a checkpoint plan and gates on it, and keeps plans that need a person out", () => {
    const a = run({
      "04-01-PLAN.md": fm(),
      "04-01-SUMMARY.md": "---\nduration: 5min\n---\n",
      "04-02-PLAN.md": fm('depends_on: ["04-01"]'),
      "04-03-PLAN.md": fm('depends_on: ["04-02"]', "autonomous: false"),
      "04-04-PLAN.md": fm('depends_on: ["04-03"]'),
      "04-05-PLAN.md": fm('depends_on: ["04-02", "04-04"]'),
    });
    const j = phaseJobs(a, 2);
    expect(j.complete).toEqual(["04-01"]);
    expect(j.checkpoints).toEqual(["04-03"]);
    const by = Object.fromEntries(j.jobs.map((x) => [x.planId, x]));
    expect(Object.keys(by)).toEqual(["04-02", "04-04", "04-05"]);
    expect(by["04-02"]?.needs).toEqual([]);
    // 04-04 waits for 04-02 through the checkpoint plan, and for the checkpoint plan itself.
    expect(by["04-04"]?.needs).toEqual(["plan-04-02"]);
    expect(by["04-04"]?.gates).toEqual(["gate-04-03"]);
    // 04-05 needs 04-02 and 04-04; 04-02 is implied by 04-04 and reduced away.
    expect(by["04-05"]?.needs).toEqual(["plan-04-04"]);
    expect(j.gates).toEqual([{ key: "gate-04-03", planId: "04-03", summaryFile: `${DIR}/04-03-SUMMARY.md`, kind: "checkpoint" }]);
    expect(planCondition(by["04-04"] as never)).toContain("contains(needs.prepare.outputs.done, ',gate-04-03,')");
  });

  it("puts independent plans on at most cap lanes in the scheduler's order, and numbers waits for smaller caps", () => {
    const files: Record<string, string> = {};
    for (let i = 1; i <= 7; i++) files[`04-0${i}-PLAN.md`] = fm();
    const j = phaseJobs(run(files), 3);
    expect(j.lanes).toBe(3);
    expect(j.jobs.filter((x) => x.after === undefined)).toHaveLength(3);
    const byKey = new Map(j.jobs.map((x) => [x.key, x]));
    for (const x of j.jobs) if (x.after !== undefined) expect(byKey.get(x.after)?.lane).toBe(x.lane);
    // Every job but the first waits for the one just before it at cap 1, two before at cap 2.
    const order = [...j.jobs].sort((p, q) => Object.keys(p.waitFor).length - Object.keys(q.waitFor).length);
    expect(order.map((x) => Object.keys(x.waitFor).length)).toEqual([0, 1, 2, 2, 2, 2, 2]);
    for (const x of j.jobs) expect(Object.keys(x.waitFor).every((k) => Number(k) < 3)).toBe(true);
  });

  it("gates a plan on a prerequisite in another phase that is not complete", () => {
    const other: PhaseListing = { dir: ".planning/phases/03-db", name: "03-db", number: "03", container: "phases", active: true, files: ["03-01-PLAN.md"] };
    const a = run({ "04-01-PLAN.md": fm('depends_on: ["03-01"]') }, [other]);
    const j = phaseJobs(a, 3);
    expect(j.jobs[0]?.gates).toHaveLength(1);
    expect(j.gates[0]).toMatchObject({ planId: "03-01", kind: "other-phase", summaryFile: ".planning/phases/03-db/03-01-SUMMARY.md" });
  });
});

describe("the agent's prompt", () => {
  it("is the helper's spawn prompt with the runner's workspace, run id and attempt left to GitHub", () => {
    const j = phaseJobs(run({ "04-01-PLAN.md": fm() }), 1).jobs[0];
    const p = agentPrompt(j as never, "app");
    expect(p).toContain("gsd-async-run: ${{ steps.begin.outputs.run-id }}");
    expect(p).toContain(`gsd-async-plan: ${DIR}/04-01-PLAN.md`);
    expect(p).toContain("gsd-async-attempt: ${{ steps.begin.outputs.attempt }}");
    expect(p).toContain("node '${{ github.workspace }}/.github/gsd-async/cli.js' complete");
    expect(p).toContain("--cwd '${{ github.workspace }}/app'");
    expect(p).not.toContain("\u0000");
  });

  it("appears in the workflow as the action's prompt input", () => {
    const a = run({ "04-01-PLAN.md": fm() });
    const w = parse(githubWorkflow({ phase: a.phase, projectDir: ".", jobs: phaseJobs(a, 1), cap: 1, runsOn: "ubuntu-24.04" })) as {
      jobs: Record<string, { "runs-on": string; steps: { uses?: string; with?: Record<string, string> }[] }>;
    };
    const job = w.jobs["plan-04-01"];
    expect(job?.["runs-on"]).toBe("ubuntu-24.04");
    const action = job?.steps.find((s) => s.uses === "anthropics/claude-code-action@v1");
    expect(action?.with?.anthropic_api_key).toBe("${{ secrets.ANTHROPIC_API_KEY }}");
    expect(action?.with?.prompt).toContain("--cwd '${{ github.workspace }}'");
  });
});
