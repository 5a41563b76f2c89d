/**
 * Glob matching in time linear in the path and the pattern: the pattern becomes a small
 * automaton (one state per pattern character, plus one per brace alternative) and a path is
 * matched by tracking the set of states it can be in, one character at a time. A backtracking
 * regex (what picomatch compiles to) takes exponential time on `src/*a*a*a*a*b` against
 * `src/aaaa...a`; this never does.
 *
 * Syntax (after path-syntax's cleaning): `*` is any text within one segment, `?` one character
 * other than `/`, `**` as a whole segment any number of segments (`a/**\/b` matches `a/b`) and
 * elsewhere any text at all,
 * `{x,y}` alternatives (nested), `{1..12}` and `{a..f}` ranges. Everything else, brackets and
 * parentheses included, is literal. Dot files match like any other name. A `{x..y}` that is
 * not a number or letter range matches anything, a range of more than
 * `MAX_RANGE` values is read as `*` and a pattern of more than `MAX_STATES` states matches every
 * path under its static prefix: both err towards "may overlap", which orders plans, never runs
 * two writers together.
 */

type State =
  | { kind: "char"; ch: string; next: number }
  | { kind: "segment-char"; next: number } // any character but `/`
  | { kind: "any-char"; next: number } // any character
  | { kind: "fork"; outs: number[] }
  | { kind: "match" };

export interface GlobAutomaton {
  readonly states: readonly State[];
  readonly start: number;
}

export const MAX_RANGE = 256;
export const MAX_STATES = 20_000;

/** One parsed item of a pattern. */
type Item =
  { kind: "lit"; ch: string } | { kind: "star" } | { kind: "qmark" } | { kind: "globstar-dir" } | { kind: "globstar" } | { kind: "alt"; alts: Item[][] };

/** For every `{`, its closing `}` and the commas at its top level; one pass with a stack. */
interface Braces {
  close: Map<number, number>;
  commas: Map<number, number[]>;
}

function scanBraces(glob: string): Braces {
  const close = new Map<number, number>();
  const commas = new Map<number, number[]>();
  const open: number[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === "{") {
      open.push(i);
      commas.set(i, []);
    } else if (c === "}" && open.length > 0) close.set(open.pop() as number, i);
    else if (c === "," && open.length > 0) commas.get(open[open.length - 1] as number)?.push(i);
  }
  return { close, commas };
}

function rangeAlternatives(body: string): Item[][] | "wide" | undefined {
  const m = /^(-?\d+)\.\.(-?\d+)$/.exec(body) ?? /^([A-Za-z])\.\.([A-Za-z])$/.exec(body);
  if (!m || m[1] === undefined || m[2] === undefined) return undefined;
  const numeric = /\d/.test(m[1]);
  const a = numeric ? Number(m[1]) : m[1].charCodeAt(0);
  const b = numeric ? Number(m[2]) : m[2].charCodeAt(0);
  if (Math.abs(a - b) >= MAX_RANGE) return "wide";
  const out: Item[][] = [];
  for (let v = Math.min(a, b); v <= Math.max(a, b); v++) {
    const text = numeric ? String(v) : String.fromCharCode(v);
    out.push([...text].map((ch) => ({ kind: "lit", ch })));
  }
  return out;
}

/** Parses `glob[from, to)` into items. Braces without `,` or `..` are literal. */
function parse(glob: string, from: number, to: number, braces: Braces): Item[] {
  const items: Item[] = [];
  for (let i = from; i < to; i++) {
    const c = glob[i] ?? "";
    if (c === "*") {
      let j = i;
      while (glob[j + 1] === "*" && j + 1 < to) j++;
      const atStart = i === from || glob[i - 1] === "/";
      const atEnd = j + 1 === to || glob[j + 1] === "/";
      if (j > i && atStart && atEnd) {
        if (glob[j + 1] === "/" && j + 1 < to) {
          items.push({ kind: "globstar-dir" }); // `**/`: zero or more whole segments
          j++;
        } else if (items.length > 0 && items[items.length - 1]?.kind === "lit" && glob[i - 1] === "/") {
          items.pop(); // `a/**` also matches `a` itself
          items.push({ kind: "alt", alts: [[], [{ kind: "lit", ch: "/" }, { kind: "globstar" }]] });
        } else items.push({ kind: "globstar" });
      } else items.push({ kind: j > i ? "globstar" : "star" }); // `a**b`, `**{x,y}`: read as anything
      i = j;
    } else if (c === "?") items.push({ kind: "qmark" });
    else if (c === "{") {
      const close = braces.close.get(i) ?? -1;
      if (close < 0 || close >= to) {
        items.push({ kind: "lit", ch: c });
        continue;
      }
      const cs = braces.commas.get(i) ?? [];
      if (cs.length > 0) {
        const bounds = [i, ...cs, close];
        const alts: Item[][] = [];
        for (let k = 0; k + 1 < bounds.length; k++) alts.push(parse(glob, (bounds[k] as number) + 1, bounds[k + 1] as number, braces));
        items.push({ kind: "alt", alts });
        i = close;
        continue;
      }
      const body = glob.slice(i + 1, close);
      const range = rangeAlternatives(body);
      if (range === undefined && body.includes("..")) {
        items.push({ kind: "globstar" }); // `{x..y}` of something else: read as anything (never misses)
        i = close;
      } else if (range === undefined) items.push({ kind: "lit", ch: c });
      else {
        items.push(range === "wide" ? { kind: "star" } : { kind: "alt", alts: range });
        i = close;
      }
    } else items.push({ kind: "lit", ch: c });
  }
  return items;
}

/** Thompson construction, built back to front so every item knows its continuation. */
function build(items: readonly Item[], next: number, states: State[]): number {
  let at = next;
  for (let k = items.length - 1; k >= 0; k--) {
    if (states.length > MAX_STATES) return at;
    const item = items[k] as Item;
    switch (item.kind) {
      case "lit":
        at = states.push({ kind: "char", ch: item.ch, next: at }) - 1;
        break;
      case "qmark":
        at = states.push({ kind: "segment-char", next: at }) - 1;
        break;
      case "star":
      case "globstar": {
        const fork = states.push({ kind: "fork", outs: [] }) - 1;
        const step = states.push({ kind: item.kind === "star" ? "segment-char" : "any-char", next: fork }) - 1;
        (states[fork] as { outs: number[] }).outs.push(step, at);
        at = fork;
        break;
      }
      case "globstar-dir": {
        // (any* "/")? : skip, or any characters ending with a `/`.
        const slash = states.push({ kind: "char", ch: "/", next: at }) - 1;
        const loop = states.push({ kind: "fork", outs: [] }) - 1;
        const step = states.push({ kind: "any-char", next: loop }) - 1;
        (states[loop] as { outs: number[] }).outs.push(step, slash);
        at = states.push({ kind: "fork", outs: [at, loop] }) - 1;
        break;
      }
      case "alt":
        at = states.push({ kind: "fork", outs: item.alts.map((alt) => build(alt, at, states)) }) - 1;
        break;
    }
  }
  return at;
}

/** The automaton of a normalised glob, or undefined when it would exceed `MAX_STATES`. */
export function compileGlob(glob: string): GlobAutomaton | undefined {
  const states: State[] = [{ kind: "match" }];
  const start = build(parse(glob, 0, glob.length, scanBraces(glob)), 0, states);
  return states.length > MAX_STATES ? undefined : { states, start };
}

/**
 * Whether `path` matches, and the work it took: `steps` counts state visits, at most
 * (path length + 1) x states.
 */
export function runGlob(a: GlobAutomaton, path: string): { matched: boolean; steps: number } {
  const n = a.states.length;
  const seen = new Int32Array(n).fill(-1);
  let steps = 0;
  let current: number[] = [];
  const add = (list: number[], from: number, round: number) => {
    const stack = [from];
    while (stack.length > 0) {
      const s = stack.pop() as number;
      if (seen[s] === round) continue;
      seen[s] = round;
      steps++;
      const st = a.states[s] as State;
      if (st.kind === "fork") for (let k = st.outs.length - 1; k >= 0; k--) stack.push(st.outs[k] as number);
      else list.push(s);
    }
  };
  add(current, a.start, 0);
  for (let i = 0; i < path.length && current.length > 0; i++) {
    const c = path[i] as string;
    const next: number[] = [];
    for (const s of current) {
      const st = a.states[s] as State;
      steps++;
      const ok = st.kind === "char" ? st.ch === c : st.kind === "segment-char" ? c !== "/" : st.kind === "any-char";
      if (ok) add(next, (st as { next: number }).next, i + 1);
    }
    current = next;
  }
  return { matched: current.some((s) => a.states[s]?.kind === "match"), steps };
}
