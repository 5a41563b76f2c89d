import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { run } from "../../lib/cli/program";

/** Writes a small file tree (path -> content) into a fresh temp dir and returns its path. */
export function makeTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "gsd-async-test-"));
  for (const [rel, content] of Object.entries(files)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, content);
  }
  return root;
}

export function removeTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** A PLAN.md with front matter built from `fields` (YAML lines) and an optional body. */
export function plan(fields: string, body = ""): string {
  return `---\n${fields.trim()}\n---\n\n<objective>test plan</objective>\n${body}\n`;
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  isTTY?: boolean;
  /** A fixed or advancing clock; defaults to the real one. */
  now?: () => Date;
  stdin?: string;
}

/** The helper argv written into spawn instructions during tests. */
export const TEST_HELPER = ["node", "/opt/gsd-async/dist/cli.js"];

/** Runs the CLI in-process with captured streams; `env` defaults to no colour preferences. */
export async function cli(argv: string[], opts: CliOptions = {}): Promise<CliRun> {
  let out = "";
  let err = "";
  const code = await run(argv, {
    cwd: opts.cwd ?? process.cwd(),
    env: opts.env ?? {},
    isTTY: opts.isTTY ?? false,
    out: (s) => (out += s),
    err: (s) => (err += s),
    now: opts.now ?? (() => new Date()),
    helper: TEST_HELPER,
    readStdin: async () => opts.stdin ?? "",
  });
  return { code, out, err };
}
