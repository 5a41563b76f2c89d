import { parseCurrentPhase } from "../../lib/core/plan/current-phase";

const doc = (...lines: string[]): string => lines.join("\n");
const position = (...body: string[]): string =>
  doc("# Project State", "", "**Current focus:** Phase 2 — Old focus", "", "## Current Position", "", ...body, "", "## Decisions");

describe("parseCurrentPhase", () => {
  it("reads `Phase: N of M (Name)` under Current Position", () => {
    expect(parseCurrentPhase(position("Phase: 11 of 11 (Final Polish)", "Plan: 2 of 3"))).toEqual({
      phase: "11",
      total: 11,
      name: "Final Polish",
      line: 7,
    });
  });

  it("keeps the phase number as written: decimals, zero padding, letter suffixes", () => {
    expect(parseCurrentPhase(position("Phase: 02.1 of 9"))).toEqual({ phase: "02.1", total: 9, line: 7 });
    expect(parseCurrentPhase(position("Phase: 3.9.4"))?.phase).toBe("3.9.4");
    expect(parseCurrentPhase(position("Phase: 36B (Split)"))).toMatchObject({ phase: "36B", name: "Split" });
  });

  it("reads the bold, bulleted and `Current Phase:` key forms", () => {
    expect(parseCurrentPhase(position("**Phase:** 3 of 8 (Auth)"))).toMatchObject({ phase: "3", total: 8, name: "Auth" });
    expect(parseCurrentPhase(position("- **Phase**: 4"))?.phase).toBe("4");
    expect(parseCurrentPhase(position("Current Phase: 5 of 6"))).toMatchObject({ phase: "5", total: 6 });
    expect(parseCurrentPhase(position("Phase: Phase 7 of 9"))).toMatchObject({ phase: "7", total: 9 });
  });

  it("takes the name only from parentheses right after the number, keeping nested ones", () => {
    expect(parseCurrentPhase(position("Phase: 07 (agent-safety) — EXECUTING"))).toEqual({ phase: "07", name: "agent-safety", line: 7 });
    expect(parseCurrentPhase(position("Phase: 4 of 5 (Fix (hot) path) — pending"))?.name).toBe("Fix (hot) path");
    expect(parseCurrentPhase(position("Phase: 38 COMPLETE (Token Fix)"))).toEqual({ phase: "38", line: 7 });
  });

  it("looks at other key lines of the position block first without being fooled by them", () => {
    const text = position("Milestone: v2 — Phase 9 next", "Last activity: Phase 3 completed", "Phase: 4 of 6 (Sync)");
    expect(parseCurrentPhase(text)).toMatchObject({ phase: "4", line: 9 });
  });

  it("does not take a Phase line that comes after prose in the position section", () => {
    const text = position("Work resumed after the outage; see the notes below.", "Phase: 5 of 8 (Stale)");
    expect(parseCurrentPhase(text)).toBeUndefined();
  });

  it("reads only the first Current Position section", () => {
    const text = doc(position("Phase: 6 of 9"), "", "## Current Position (archived)", "", "Phase: 2 of 9");
    expect(parseCurrentPhase(text)?.phase).toBe("6");
  });

  it("has no phase when the position's Phase value is not a phase number", () => {
    for (const value of ["All complete (19/19)", "Milestone Closeout", "all of 93-102 complete", "2026-03-01"]) {
      expect(parseCurrentPhase(doc(position(`**Phase:** ${value}`), "", "Phase: 3"))).toBeUndefined();
    }
  });

  it("has no phase when the position section states none", () => {
    expect(parseCurrentPhase(position("All milestones complete and archived."))).toBeUndefined();
  });

  it("without a position section, takes the first Phase key line outside code", () => {
    const text = doc("# State", "", "```", "Phase: 9", "```", "| Phase | Status |", "| 4 | done |", "Phase 4 of roadmap shipped.", "Phase: 5 of 7 (Search)");
    expect(parseCurrentPhase(text)).toEqual({ phase: "5", total: 7, name: "Search", line: 9 });
  });

  it("ignores lowercase YAML front-matter keys and prose mentions", () => {
    const text = doc("---", "phase: 3", "status: executing", "---", "", "**Current focus:** Phase 102", "Last activity: Phase 3 completed");
    expect(parseCurrentPhase(text)).toBeUndefined();
  });

  it("counts lines the same with CRLF line endings", () => {
    expect(parseCurrentPhase("# State\r\n\r\n## Current Position\r\n\r\nPhase: 8 of 9 (Tools)\r\n")).toEqual({
      phase: "8",
      total: 9,
      name: "Tools",
      line: 5,
    });
  });

  it("returns undefined for an empty file", () => {
    expect(parseCurrentPhase("")).toBeUndefined();
  });
});
