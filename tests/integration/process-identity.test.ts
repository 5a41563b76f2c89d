import { spawn } from "node:child_process";
import { claudeProcess, processState } from "../../lib/shell/process-identity";

const CLAUDE = { CLAUDECODE: "1" };

test("outside Claude Code there is no Claude Code process to record", () => {
  expect(claudeProcess({}, process.pid)).toBeNull();
});

test("the calling process is recognised, and counts as alive while it runs", () => {
  const p = claudeProcess(CLAUDE, process.pid);
  expect(p).toMatchObject({ pid: process.pid });
  expect(processState(p!)).toBe("alive");
});

test("a helper orphaned before it looked (its Claude Code was killed) records a process that counts as dead", () => {
  // Reparented to init: ppid 1.
  const p = claudeProcess(CLAUDE, 1);
  expect(p).not.toBeNull();
  expect(processState(p!)).toBe("dead");
});

test("a parent that ended between start-up and the look counts as dead, and so does a recorded process that exits", async () => {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  await new Promise((r) => child.once("spawn", r));
  const pid = child.pid!;
  const recorded = claudeProcess(CLAUDE, pid);
  expect(recorded).toMatchObject({ pid });
  expect(processState(recorded!)).toBe("alive");
  child.kill("SIGKILL");
  await new Promise((r) => child.once("exit", r));
  expect(processState(recorded!)).toBe("dead");
  const late = claudeProcess(CLAUDE, pid);
  expect(late).not.toBeNull();
  expect(processState(late!)).toBe("dead");
});
