// Generates a synthetic ROADMAP.md of N phases shaped as chains of diamonds, the graph that
// makes a recursive "1 + max of my prerequisites' levels" without memoisation exponential:
// each block is top -> (left, right) -> bottom, and the next block's top needs that bottom.
// Eight chains run side by side (so levels are wide), every 25th block joins two chains,
// every 40th names its prerequisites as a range, and every 50th phase gets an inserted
// decimal phase after it. The text has the checklist, phase details and a progress table;
// the first fifth of the phases are checked complete, and the first thousand have a phase
// directory in the returned (in-memory) planning tree, so directory matching runs too.

const CHAINS = 8;

export function syntheticRoadmap(n) {
  const ids = [];
  const deps = new Map();
  const bottoms = Array.from({ length: CHAINS }, () => undefined);
  let num = 0;
  let block = 0;
  const add = (id, d) => {
    ids.push(id);
    deps.set(id, d);
  };
  while (ids.length < n) {
    const chain = block % CHAINS;
    const prev = bottoms[chain];
    const [top, left, right, bottom] = [num + 1, num + 2, num + 3, num + 4].map(String);
    num += 4;
    let topDeps = prev === undefined ? "Nothing (first phase of its chain)" : `Phase ${prev}`;
    if (block % 25 === 24 && bottoms[(chain + 1) % CHAINS] !== undefined)
      topDeps = `Phase ${prev ?? 1}, Phase ${bottoms[(chain + 1) % CHAINS]} (joins two chains)`;
    if (block % 40 === 39 && prev !== undefined) topDeps = `Phases ${Number(prev) - 3}-${prev} (the whole previous block)`;
    add(top, topDeps);
    add(left, `Phase ${top}`);
    add(right, `Phase ${top}`);
    add(bottom, `Phase ${left}, Phase ${right}`);
    bottoms[chain] = bottom;
    if (Number(bottom) % 50 === 0) {
      add(`${bottom}.1`, `Phase ${bottom} (urgent follow-up)`);
      bottoms[chain] = `${bottom}.1`;
    }
    block++;
  }
  ids.length = n;
  const done = new Set(ids.slice(0, Math.floor(n / 5)));
  const lines = ["# Roadmap: Synthetic", "", "## Phases", ""];
  for (const id of ids) lines.push(`- [${done.has(id) ? "x" : " "}] **Phase ${id}: Step ${id}**${id.includes(".") ? " (INSERTED)" : ""} — generated`);
  lines.push("", "## Phase Details", "");
  for (const id of ids)
    lines.push(`### Phase ${id}: Step ${id}`, `**Goal**: step ${id} works end to end`, `**Depends on**: ${deps.get(id)}`, "**Plans**: 2 plans", "");
  lines.push("## Progress", "", "| Phase | Plans Complete | Status | Completed |", "|---|---|---|---|");
  for (const id of ids) lines.push(`| ${id}. Step ${id} | ${done.has(id) ? "2/2" : "0/2"} | ${done.has(id) ? "Complete" : "Not started"} | - |`);
  const phases = ids.slice(0, 1000).map((id) => {
    const name = `${id}-step-${id}`;
    const files = done.has(id)
      ? [`${id}-01-PLAN.md`, `${id}-01-SUMMARY.md`, `${id}-02-PLAN.md`, `${id}-02-SUMMARY.md`]
      : [`${id}-01-PLAN.md`, `${id}-02-PLAN.md`];
    return { dir: `.planning/phases/${name}`, name, number: id, container: "phases", active: true, files };
  });
  return { text: lines.join("\n") + "\n", tree: { root: ".planning", phases }, phases: ids.length };
}
