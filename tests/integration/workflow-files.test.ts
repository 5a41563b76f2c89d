import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type History, type HistoryEntry, emptyHistory } from "../../lib/core/queue/history-schema";
import { readWorkflowAgents, readWorkflowReports } from "../../lib/shell/workflow-reports";

/**
 * The files Claude Code saves for a workflow run (the layout seen with 2.1.332):
 * `<config>/projects/<project>/<session>/workflows/<run>.json` with the script's return value in
 * `result`, and `<session>/subagents/workflows/<run>/journal.jsonl` with a `started` line per agent
 * beside `agent-<id>.jsonl`, whose first line is the agent's (wrapped, indented) prompt.
 */
const SESSION = "5e66c567-eeca-46a6-8c3a-a685e6bb6835";
const LAUNCH = "2026-12-03T13:19:11.200Z";
let home: string;

beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "gsd-wf-files-"));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const entry = (plan: string, over: Partial<HistoryEntry> = {}): HistoryEntry => ({
  agent_id: null,
  task_description: `Execute ${plan}`,
  phase: "23",
  plan,
  segment: null,
  timestamp: LAUNCH,
  status: "dispatched",
  completion_timestamp: null,
  execution_mode: "background",
  output_file: null,
  background_status: "queued",
  queue_position: null,
  plan_file: `.planning/phases/23-x/${plan}-PLAN.md`,
  phase_dir: ".planning/phases/23-x",
  depends_on: [],
  run_id: "r1",
  attempt: 1,
  session_id: null,
  error: null,
  dispatched_at: LAUNCH,
  dispatched_session: SESSION,
  blocked_by: [],
  workflow_launch: LAUNCH,
  transitions: [],
  ...over,
});
const history = (entries: HistoryEntry[]): History => ({ ...emptyHistory(), entries });

function writeRun(): void {
  const session = join(home, ".claude", "projects", "-tmp-project", SESSION);
  mkdirSync(join(session, "workflows"), { recursive: true });
  const result = {
    gsdAsyncRun: "r1",
    launch: LAUNCH,
    phase: ".planning/phases/23-x",
    results: { "23-01": { outcome: "completed" }, "23-02": { outcome: "no-result", reason: "API error" } },
  };
  writeFileSync(join(session, "workflows", "wf_ae3f7508-4ca.json"), JSON.stringify({ runId: "wf_ae3f7508-4ca", status: "completed", result }));
  writeFileSync(join(session, "workflows", "wf_other.json"), JSON.stringify({ runId: "wf_other", result: { findings: [] } }));
  const runDir = join(session, "subagents", "workflows", "wf_ae3f7508-4ca");
  mkdirSync(runDir, { recursive: true });
  writeFileSync(
    join(runDir, "journal.jsonl"),
    [
      { type: "launched" },
      { type: "started", key: "v2:1", agentId: "a427aa15c76be8109", label: "gsd-async 23-01" },
      { type: "started", key: "v2:2", agentId: "a999", label: "x" },
    ]
      .map((l) => JSON.stringify(l))
      .join("\n") + "\n",
  );
  const prompt =
    "[Workflow harness] The computed task text follows:\n  gsd-async-run: r1\n  gsd-async-plan: .planning/phases/23-x/23-01-PLAN.md\n  gsd-async-attempt: 1\n  Run this one GSD plan.";
  writeFileSync(join(runDir, "agent-a427aa15c76be8109.jsonl"), JSON.stringify({ type: "user", message: { role: "user", content: prompt } }) + "\n{}\n");
}

describe("reading a workflow's saved files", () => {
  it("finds the script's report and the started agents of the sessions that hold a claim", () => {
    writeRun();
    const h = history([entry("23-01"), entry("23-02")]);
    const env = { HOME: home };
    const reports = readWorkflowReports(env, h);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ run: "r1", launch: LAUNCH });
    expect([...reports[0]!.results]).toEqual([
      ["23-01", { outcome: "completed", reason: null }],
      ["23-02", { outcome: "no-result", reason: "API error" }],
    ]);
    expect(readWorkflowAgents(env, h)).toEqual([{ agentId: "a427aa15c76be8109", runId: "r1", planFile: ".planning/phases/23-x/23-01-PLAN.md", attempt: 1 }]);
    // CLAUDE_CONFIG_DIR wins over HOME.
    expect(readWorkflowReports({ HOME: "/nowhere", CLAUDE_CONFIG_DIR: join(home, ".claude") }, h)).toHaveLength(1);
  });

  it("reads nothing while no plan is claimed by a workflow (the agents engine pays nothing)", () => {
    writeRun();
    const h = history([entry("23-01", { workflow_launch: null }), entry("23-02", { status: "completed", dispatched_session: null })]);
    expect(readWorkflowReports({ HOME: home }, h)).toEqual([]);
    expect(readWorkflowAgents({ HOME: home }, h)).toEqual([]);
  });

  it("a missing or broken file is not a report", () => {
    const h = history([entry("23-01")]);
    expect(readWorkflowReports({ HOME: home }, h)).toEqual([]);
    const dir = join(home, ".claude", "projects", "p", SESSION, "workflows");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "wf_x.json"), '{"result": {"gsdAsyncRun": "r1", ');
    expect(readWorkflowReports({ HOME: home }, h)).toEqual([]);
  });
});
