/**
 * matterData calls gray-matter's YAML engine directly: for any front-matter block it must give
 * what gray-matter itself gives (same data, or the same error), the way parseFrontMatter used to
 * call it. Compared against the real gray-matter on hand-picked and generated blocks.
 */
import fc from "fast-check";
import matter from "gray-matter";
import { matterData } from "../../lib/core/plan/matter-yaml";

const refuse = (): never => {
  throw new Error("executable front matter is disabled");
};
const OPTIONS = { language: "yaml", engines: { js: { parse: refuse, stringify: refuse }, javascript: { parse: refuse, stringify: refuse } } };

type Outcome = { data: unknown } | { error: string; line: unknown };
function outcome(f: () => unknown): Outcome {
  try {
    return { data: f() };
  } catch (err) {
    return { error: String((err as Error).message), line: (err as { mark?: { line?: unknown } }).mark?.line };
  }
}
const viaGrayMatter = (block: string) => outcome(() => matter(block, OPTIONS).data);
const direct = (block: string) => outcome(() => matterData(block));

const CASES = [
  "---\nphase: 01\nplan: 02\ndepends_on: [01-01, 01-02]\n---\n",
  "---\r\nwave: 2\r\nfiles_modified:\r\n  - a.ts\r\n---\r\n",
  "\uFEFF---\nkey: value\n---\n",
  "--- yaml\nkey: value\n---\n",
  "---YAML\nkey: value\n---\n",
  "---yml\nk: [1, 2]\n---\n",
  "--- \t\nkey: value\n---\n",
  "---\n# only a comment\n\n---\n",
  "---\n\n---\n",
  "---\nnull\n---\n",
  "---\n~\n---\n",
  "---\njust text\n---\n",
  "---\n- a\n- b\n---\n",
  "---\nkey: value\n...\n",
  "---\nkey: [unclosed\n---\n",
  "---\na: 1\na: 2\n---\n",
  "---\nwhen: 2026-02-11\nat: 2026-02-11T21:45:24Z\n---\n",
  "---\nkey: value\n----\nmore: x\n---\n",
  "---\nkey: 'a\n---\n",
  "---\n  # indented comment\nx: 1\n---\n",
  "---\ntabs:\tbad\n\tx: 1\n---\n",
  "---\nk: !!js/function 'function () {}'\n---\n",
  "---\nk: !!binary aGVsbG8=\n---\n",
  "---\n&a x: *a\n---\n",
];

describe("matterData is gray-matter's YAML reading", () => {
  it.each(CASES)("the same data or the same error for %j", (block) => {
    expect(direct(block)).toEqual(viaGrayMatter(block));
  });

  it("agrees with gray-matter on generated blocks", () => {
    const piece = fc.constantFrom(
      "---",
      "...",
      "\n",
      "\r\n",
      " ",
      "\t",
      "#",
      "# c",
      "yaml",
      "key: value",
      "k:",
      "- a",
      "  - b",
      "[1, 02]",
      "{a: 1}",
      ":",
      "'",
      '"',
      "null",
      "~",
      "2026-01-02",
      "&x",
      "*x",
      "\uFEFF",
    );
    // Opening fences as parseFrontMatter hands them over: no language, or YAML by any spelling.
    const fence = fc.constantFrom("---", "--- ", "---\t", "---\r", "---yaml", "--- YAML ", "---yml", "\uFEFF---");
    const block = fc.tuple(fence, fc.array(piece, { maxLength: 24 })).map(([f, ps]) => `${f}\n${ps.join("")}\n---\n`);
    fc.assert(
      fc.property(block, (b) => {
        expect(direct(b)).toEqual(viaGrayMatter(b));
      }),
      { numRuns: 400 },
    );
  });
});
