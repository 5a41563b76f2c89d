import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ceiling, newLedger, recordUse, reservedTokens, usedTokens } from "../../lib/core/budget/budget";
import { type Ledger, parseBudgetText } from "../../lib/core/budget/budget-schema";
import { makeTree, removeTree } from "../helpers/tree";

/**
 * Real processes reserving from one token-budget.json at the same moment: the inter-process
 * lock and the atomic write are what is tested. The processes run the BUILT code: dist/cli.js
 * `budget reserve` when the CLI has the command, else the same command through dist/index.js
 * (tests/helpers/budget-worker.js).
 */
const ROOT = join(__dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli.js");
const DIST = join(ROOT, "dist", "index.js");
const WORKER = join(__dirname, "..", "helpers", "budget-worker.js");

let viaCli = false;
beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: the concurrency tests run the BUILT code. Run \`npm run build\` first.`);
  // Unknown commands with --help print the top-level help, so look for the subcommand itself.
  viaCli = existsSync(CLI) && /\breserve\b/.test(spawnSync(process.execPath, [CLI, "budget", "--help"], { encoding: "utf8" }).stdout ?? "");
});

interface Child {
  owner: string;
  out: string;
  err: string;
  exit: Promise<number | null>;
}

function reserveProcess(root: string, tokens: number, owner: string): Child {
  const args = viaCli ? [CLI, "budget", "reserve", String(tokens), "--for", owner, "--cwd", root, "--json"] : [WORKER, "reserve", root, String(tokens), owner];
  const proc: ChildProcess = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const child: Child = { owner, out: "", err: "", exit: new Promise((resolve) => proc.on("close", (code) => resolve(code))) };
  proc.stdout?.on("data", (d: Buffer) => (child.out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (child.err += d.toString()));
  return child;
}

const ledgerFile = (root: string) => join(root, ".planning", "token-budget.json");

function readLedger(root: string): Ledger {
  const r = parseBudgetText(readFileSync(ledgerFile(root), "utf8"));
  if (!r.ok) throw new Error(`token-budget.json is not valid: ${JSON.stringify(r.problems)}`);
  return r.ledger;
}

async function race(root: string, n: number, tokens: number) {
  const children = Array.from({ length: n }, (_, i) => reserveProcess(root, tokens, `01-${String(i + 1).padStart(2, "0")}`));
  const codes = await Promise.all(children.map((c) => c.exit));
  for (const [i, c] of children.entries()) {
    if (codes[i] !== 0 && codes[i] !== 1) throw new Error(`${c.owner} exited ${codes[i]}: ${c.err}`);
    const body = JSON.parse(c.out);
    expect(body.granted).toBe(codes[i] === 0);
  }
  return { granted: children.filter((_, i) => codes[i] === 0).map((c) => c.owner), refused: children.filter((_, i) => codes[i] === 1) };
}

describe("token-budget.json under concurrent reservations", () => {
  let root: string;
  beforeEach(() => {
    root = makeTree({ ".planning/STATE.md": "# State\n" });
  });
  afterEach(() => removeTree(root));

  it("12 processes race for room for exactly 3: exactly 3 are granted and the ledger adds up", async () => {
    // Ceiling floor(0.95 * 40,000) = 38,000: three reservations of 10,000 fit, a fourth does not.
    const start = newLedger({ now: new Date().toISOString(), limit: 40_000 });
    writeFileSync(ledgerFile(root), JSON.stringify(start, null, 2) + "\n");
    const { granted, refused } = await race(root, 12, 10_000);
    expect(granted).toHaveLength(3);
    expect(refused).toHaveLength(9);
    for (const c of refused) expect(JSON.parse(c.out).reason).toMatch(/past the 95% stop threshold: 8,000 available/);

    const l = readLedger(root);
    expect(Object.keys(l.reservations).sort()).toEqual([...granted].sort());
    expect(reservedTokens(l)).toBe(30_000);
    expect(usedTokens(l) + reservedTokens(l)).toBeLessThanOrEqual(ceiling(l));
    // Every lock was released and no temp file was left behind.
    expect(readdirSync(join(root, ".planning")).sort()).toEqual(["STATE.md", "token-budget.json"]);
  }, 60_000);

  it("the last tokens go to one process only, with recorded use already in the ledger", async () => {
    // 95,000 ceiling - 80,000 used = 15,000: room for one 10,000 reservation among 8 racers.
    const start = recordUse(newLedger({ now: new Date().toISOString(), limit: 100_000 }), 80_000, "earlier", {}, new Date().toISOString()).ledger;
    writeFileSync(ledgerFile(root), JSON.stringify(start, null, 2) + "\n");
    const { granted } = await race(root, 8, 10_000);
    expect(granted).toHaveLength(1);
    const l = readLedger(root);
    expect(Object.keys(l.reservations)).toEqual(granted);
    expect(l.usage).toEqual(start.usage);
    expect(usedTokens(l) + reservedTokens(l)).toBe(90_000);
  }, 60_000);
});
