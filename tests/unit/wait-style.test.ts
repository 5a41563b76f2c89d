import fc from "fast-check";
import { WAKES_UP_SINCE, compareVersions, versionInPackage, versionInPath, waitStyle } from "../../lib/core/host/claude-version";
import { POLL_SECONDS, WAKE_MAX_SECONDS, WAKE_MIN_SECONDS, wakeUpFor } from "../../lib/core/host/wake-up";
import { runningBySession } from "../../lib/core/queue/running-sessions";
import { emptyHistory } from "../../lib/core/queue/history-schema";
import type { HistoryEntry } from "../../lib/core/queue/history-schema";

describe("which Claude Code runs the helper", () => {
  it("reads an npm install's package.json and nothing else's", () => {
    expect(versionInPackage(JSON.stringify({ name: "@anthropic-ai/claude-code", version: "2.1.332" }))).toBe("2.1.332");
    expect(versionInPackage(JSON.stringify({ name: "left-pad", version: "9.9.9" }))).toBeUndefined();
    expect(versionInPackage(JSON.stringify({ name: "@anthropic-ai/claude-code", version: "2.1" }))).toBeUndefined();
    expect(versionInPackage("{ not json")).toBeUndefined();
  });

  it("reads a native install's versioned path, and never a node binary's version folder", () => {
    expect(versionInPath("/home/me/.local/share/claude/versions/2.1.340")).toBe("2.1.340");
    expect(versionInPath("/opt/claude-code-2.1.332/bin/claude")).toBeUndefined();
    expect(versionInPath("/home/me/.asdf/installs/nodejs/22.11.0/bin/node")).toBeUndefined();
    expect(versionInPath("/opt/homebrew/Cellar/node/22.11.0/bin/node")).toBeUndefined();
    expect(versionInPath("/home/me/.volta/tools/image/node/22.11.0/versions/22.11.0/node")).toBeUndefined();
  });

  it("orders versions as numbers, not as text", () => {
    expect(compareVersions("2.1.332", "2.1.197")).toBeGreaterThan(0);
    expect(compareVersions("2.1.99", "2.1.332")).toBeLessThan(0);
    expect(compareVersions("2.10.0", "2.9.9")).toBeGreaterThan(0);
    expect(compareVersions("2.1.332", "2.1.332")).toBe(0);
    expect(compareVersions("2.1", "2.1.0")).toBeUndefined();
    fc.assert(
      fc.property(fc.tuple(fc.nat(50), fc.nat(50), fc.nat(500)), fc.tuple(fc.nat(50), fc.nat(50), fc.nat(500)), (a, b) => {
        const c = compareVersions(a.join("."), b.join("."))!;
        const d = compareVersions(b.join("."), a.join("."))!;
        return Math.sign(c) === -Math.sign(d) && (c === 0) === (a.join() === b.join());
      }),
    );
  });

  it("waits by waking up only on a version proven to wake a claude -p up; an override wins", () => {
    expect(waitStyle(WAKES_UP_SINCE, undefined)).toBe("wake-up");
    expect(waitStyle("2.2.0", undefined)).toBe("wake-up");
    expect(waitStyle("2.1.197", undefined)).toBe("blocking");
    expect(waitStyle(undefined, undefined)).toBe("blocking");
    expect(waitStyle("2.1.197", "wake-up")).toBe("wake-up");
    expect(waitStyle("2.1.332", "blocking")).toBe("blocking");
    expect(waitStyle("2.1.332", "sometimes")).toBe("wake-up");
  });
});

describe("the wake-up of a non-blocking wait", () => {
  const base = { ownRunning: 0, otherRunning: 0, stallMinutes: 20, statusLine: "node /p/dist/cli.js status --wait --brief -- .planning/phases/02-x" };

  it("is the stall fallback when only this session's agents run (their notifications come first)", () => {
    expect(wakeUpFor({ ...base, ownRunning: 2 }).delaySeconds).toBe(1200);
  });

  it("polls within the cache window when another session's agents run", () => {
    expect(wakeUpFor({ ...base, ownRunning: 1, otherRunning: 1 }).delaySeconds).toBe(POLL_SECONDS);
    expect(wakeUpFor({ ...base, otherRunning: 1, stallMinutes: 2 }).delaySeconds).toBe(120);
  });

  it("waits for a limit's reset, and always within ScheduleWakeup's bounds", () => {
    expect(wakeUpFor({ ...base, resumeInSeconds: 900 }).delaySeconds).toBe(900);
    fc.assert(
      fc.property(
        fc.nat(5),
        fc.nat(5),
        fc.double({ min: 0.01, max: 1440, noNaN: true }),
        fc.option(fc.nat(100_000), { nil: undefined }),
        (own, other, stall, resume) => {
          const w = wakeUpFor({
            ...base,
            ownRunning: own,
            otherRunning: other,
            stallMinutes: stall,
            ...(resume !== undefined ? { resumeInSeconds: resume } : {}),
          });
          return Number.isInteger(w.delaySeconds) && w.delaySeconds >= WAKE_MIN_SECONDS && w.delaySeconds <= WAKE_MAX_SECONDS;
        },
      ),
    );
  });

  it("comes forward to a limited plan's retry while other agents run", () => {
    expect(wakeUpFor({ ...base, ownRunning: 2, retryInSeconds: 90 }).delaySeconds).toBe(90);
    expect(wakeUpFor({ ...base, ownRunning: 2, retryInSeconds: 5000 }).delaySeconds).toBe(1200);
    expect(wakeUpFor({ ...base, ownRunning: 2, retryInSeconds: 0 }).delaySeconds).toBe(WAKE_MIN_SECONDS);
  });

  it("asks the woken model to run the helper's status line, quoted as code", () => {
    expect(wakeUpFor({ ...base, ownRunning: 1 }).prompt).toContain(`Run \`${base.statusLine}\``);
  });
});

describe("agents by session", () => {
  const entry = (plan: string, status: HistoryEntry["status"], session: string | null, run = "r1") =>
    ({ plan, run_id: run, status, session_id: session }) as HistoryEntry;

  it("counts only the run's running agents, this session's apart", () => {
    const h = {
      ...emptyHistory(),
      entries: [
        entry("a", "spawned", "s1"),
        entry("b", "spawned", "s2"),
        entry("c", "completed", "s1"),
        entry("d", "spawned", "s1", "r2"),
        entry("e", "spawned", null),
      ],
    };
    expect(runningBySession(h, "r1", "s1")).toEqual({ own: 1, other: 2 });
    expect(runningBySession(h, "r1", null)).toEqual({ own: 0, other: 3 });
  });
});
