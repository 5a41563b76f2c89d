import { selectPhase } from "../../lib/core/plan/phase-select";
import type { PhaseListing, PlanningTree } from "../../lib/core/plan/planning-tree";
import { isActiveContainer } from "../../lib/core/plan/planning-tree";
import { parsePhaseDirName } from "../../lib/core/plan/phase-number";

function phase(container: string, name: string): PhaseListing {
  const listing: PhaseListing = { dir: `.planning/${container}/${name}`, name, container, active: isActiveContainer(container), files: [] };
  const number = parsePhaseDirName(name).number;
  if (number !== undefined) listing.number = number;
  return listing;
}
const tree = (...phases: PhaseListing[]): PlanningTree => ({ root: ".planning", phases });

const core = phase("phases", "02-core");
const hotfix = phase("phases", "02.1-hotfix");
const extra = phase("phases", "36B-extra");
const deep = phase("phases", "3.9.4-polish");
const tools = phase("phases", "tools-email");
const base = tree(core, hotfix, extra, deep, tools);

const chosen = (r: ReturnType<typeof selectPhase>) => (r.ok ? r.phase.dir : undefined);

describe("selectPhase: by number", () => {
  it("in any padding", () => {
    for (const arg of ["2", "02", "002", " 2 "]) expect(chosen(selectPhase(base, arg))).toBe(core.dir);
  });
  it("decimals and multi-level numbers", () => {
    expect(chosen(selectPhase(base, "2.1"))).toBe(hotfix.dir);
    expect(chosen(selectPhase(base, "02.1"))).toBe(hotfix.dir);
    expect(chosen(selectPhase(base, "3.9.4"))).toBe(deep.dir);
  });
  it("letter suffixes in either case", () => {
    expect(chosen(selectPhase(base, "36B"))).toBe(extra.dir);
    expect(chosen(selectPhase(base, "36b"))).toBe(extra.dir);
    expect(selectPhase(base, "36").ok).toBe(false);
  });
  it("no note when the number is unique", () => {
    const r = selectPhase(base, "2");
    expect(r.ok && r.note).toBeFalsy();
  });
  it("an unknown number fails and lists the active phases", () => {
    const archived = phase("milestones/v1.0-phases", "01-old");
    const r = selectPhase(tree(core, archived), "7");
    expect(r).toEqual({ ok: false, reason: expect.stringContaining("7"), candidates: [core.dir] });
  });
});

describe("selectPhase: by path or name", () => {
  it("by full directory path, with ./ or a trailing slash", () => {
    expect(chosen(selectPhase(base, ".planning/phases/02-core"))).toBe(core.dir);
    expect(chosen(selectPhase(base, "./.planning/phases/02-core/"))).toBe(core.dir);
  });
  it("by a path relative to the planning root", () => {
    expect(chosen(selectPhase(base, "phases/02.1-hotfix"))).toBe(hotfix.dir);
  });
  it("by directory name, including a directory without a number", () => {
    expect(chosen(selectPhase(base, "02-core"))).toBe(core.dir);
    expect(chosen(selectPhase(base, "tools-email"))).toBe(tools.dir);
  });
  it("with Windows separators", () => {
    expect(chosen(selectPhase(base, ".planning\\phases\\02-core"))).toBe(core.dir);
  });
  it("a path is exact even when the number exists elsewhere", () => {
    const archived = phase("milestones/v1.0-phases", "02-old-core");
    const r = selectPhase(tree(core, archived), ".planning/milestones/v1.0-phases/02-old-core");
    expect(r).toEqual({ ok: true, phase: archived });
  });
  it("a path relative to the planning root wins over a longer path that ends the same way", () => {
    const ws = phase("workstreams/mobile/phases", "02-core");
    const r = selectPhase(tree(ws, core), "phases/02-core");
    expect(chosen(r)).toBe(core.dir);
    expect(chosen(selectPhase(tree(ws, core), "workstreams/mobile/phases/02-core"))).toBe(ws.dir);
  });
  it("an unknown name fails and lists every phase", () => {
    const r = selectPhase(base, "no-such-phase");
    expect(r).toEqual({ ok: false, reason: expect.stringContaining("no-such-phase"), candidates: base.phases.map((p) => p.dir) });
  });
  it("an empty argument fails", () => {
    expect(selectPhase(base, "  ")).toEqual({ ok: false, reason: "empty phase argument", candidates: [] });
  });
});

describe("selectPhase: a number in several places", () => {
  it("prefers the top-level phases/ directory and says which others exist", () => {
    const archived = phase("milestones/v1.0-phases", "02-old-core");
    const ws = phase("workstreams/mobile/phases", "02-mobile");
    const r = selectPhase(tree(archived, ws, core), "2");
    expect(chosen(r)).toBe(core.dir);
    expect(r.ok && r.note).toEqual(expect.stringContaining(archived.dir));
    expect(r.ok && r.note).toEqual(expect.stringContaining(ws.dir));
  });
  it("prefers a single live workstream over archives when there is no top-level one", () => {
    const archived = phase("milestones/v1.0-phases", "02-old-core");
    const ws = phase("workstreams/mobile/phases", "02-mobile");
    const r = selectPhase(tree(archived, ws), "02");
    expect(chosen(r)).toBe(ws.dir);
    expect(r.ok && r.note).toEqual(expect.stringContaining(archived.dir));
  });
  it("refuses to guess between two live workstreams", () => {
    const a = phase("workstreams/mobile/phases", "02-mobile");
    const b = phase("workstreams/web/phases", "02-web");
    const r = selectPhase(tree(a, b), "2");
    expect(r).toEqual({ ok: false, reason: expect.stringContaining("2 directories"), candidates: [a.dir, b.dir] });
  });
  it("refuses to guess between two archives", () => {
    const a = phase("milestones/v1.0-phases", "02-a");
    const b = phase("milestones/v2.0-phases", "02-b");
    expect(selectPhase(tree(a, b), "2").ok).toBe(false);
  });
});
