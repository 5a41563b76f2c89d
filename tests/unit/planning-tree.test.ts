import { type PhaseListing, isActiveContainer, isPhaseContainerName, phaseFiles, summaryFor } from "../../lib/core/plan/planning-tree";

function phase(dir: string, files: string[], number?: string): PhaseListing {
  const listing: PhaseListing = { dir, name: dir.slice(dir.lastIndexOf("/") + 1), container: "phases", active: true, files };
  if (number !== undefined) listing.number = number;
  return listing;
}

describe("isActiveContainer", () => {
  it("is true for phases/ and a workstream's phases/", () => {
    expect(isActiveContainer("phases")).toBe(true);
    expect(isActiveContainer("workstreams/mobile/phases")).toBe(true);
  });
  it("is false for milestone and archive containers and nested workstream paths", () => {
    expect(isActiveContainer("milestones/v1.0-phases")).toBe(false);
    expect(isActiveContainer("archive/2024/phases")).toBe(false);
    expect(isActiveContainer("workstreams/a/b/phases")).toBe(false);
    expect(isActiveContainer("workstreams/mobile")).toBe(false);
  });
});

describe("isPhaseContainerName", () => {
  it("accepts phases and *-phases", () => {
    expect(isPhaseContainerName("phases")).toBe(true);
    expect(isPhaseContainerName("v1.0-phases")).toBe(true);
  });
  it("rejects other names", () => {
    expect(isPhaseContainerName("phase")).toBe(false);
    expect(isPhaseContainerName("phases-old")).toBe(false);
    expect(isPhaseContainerName("research")).toBe(false);
  });
});

describe("phaseFiles", () => {
  const listing = phase(
    ".planning/phases/02-core",
    ["02-10-PLAN.md", "02-CONTEXT.md", "02-02-PLAN.md", "02-01-SUMMARY.md", "02-01-api-PLAN.md", "02-PHASE-SUMMARY.md", "02-9-PLAN.md", "notes.txt"],
    "02",
  );

  it("splits plans and summaries, in natural plan order, with project-relative files", () => {
    const { plans, summaries } = phaseFiles(listing);
    expect(plans.map((p) => p.file)).toEqual([
      ".planning/phases/02-core/02-01-api-PLAN.md",
      ".planning/phases/02-core/02-02-PLAN.md",
      ".planning/phases/02-core/02-9-PLAN.md",
      ".planning/phases/02-core/02-10-PLAN.md",
    ]);
    expect(plans.map((p) => p.id)).toEqual(["02-01", "02-02", "02-9", "02-10"]);
    expect(summaries.map((s) => s.file)).toEqual([".planning/phases/02-core/02-01-SUMMARY.md"]);
    expect(plans.every((p) => p.phaseDir === ".planning/phases/02-core")).toBe(true);
  });

  it("uses the directory's number for plans named only by their plan number", () => {
    const p = phase(".planning/phases/01-setup", ["07-cleanup-PLAN.md", "01-01-PLAN.md"], "01");
    expect(phaseFiles(p).plans.map((x) => x.id)).toEqual(["01-01", "01-07"]);
  });

  it("returns the same answer for the same listing (memoised, not mutated)", () => {
    const first = phaseFiles(listing);
    expect(phaseFiles(listing)).toBe(first);
    expect(listing.files[0]).toBe("02-10-PLAN.md");
  });

  it("handles an empty directory", () => {
    expect(phaseFiles(phase(".planning/phases/09-empty", [], "09"))).toEqual({ plans: [], summaries: [] });
  });
});

describe("summaryFor", () => {
  it("matches a summary by stem first", () => {
    const { plans, summaries } = phaseFiles(phase(".planning/phases/03-x", ["03-01-api-PLAN.md", "03-01-api-SUMMARY.md", "03-01-SUMMARY.md"], "03"));
    expect(summaryFor(plans[0]!, summaries)?.file).toBe(".planning/phases/03-x/03-01-api-SUMMARY.md");
  });
  it("falls back to the short id (slugged plan, unslugged summary)", () => {
    const { plans, summaries } = phaseFiles(phase(".planning/phases/03-x", ["03-01-api-PLAN.md", "03-01-SUMMARY.md"], "03"));
    expect(summaryFor(plans[0]!, summaries)?.file).toBe(".planning/phases/03-x/03-01-SUMMARY.md");
  });
  it("finds nothing for a plan with no summary", () => {
    const { plans, summaries } = phaseFiles(phase(".planning/phases/03-x", ["03-01-PLAN.md", "03-02-PLAN.md", "03-01-SUMMARY.md"], "03"));
    expect(summaryFor(plans[1]!, summaries)).toBeUndefined();
  });
});
