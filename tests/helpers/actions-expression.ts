/**
 * The subset of GitHub Actions expressions that job `if:` conditions use: string literals (with
 * '' for a quote), context paths (`needs.some-job.result`), `!`, `==`, `!=` (strings compared
 * case-insensitively), `&&`, `||` (returning an operand, as GitHub does), parentheses and
 * function calls, which the caller supplies.
 */
export type Value = string | boolean | number | null | Record<string, unknown>;

export interface ExpressionContext {
  lookup(path: string): Value;
  call(name: string, args: Value[]): Value;
}

type Token = { t: "id" | "str" | "op"; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === "'") {
      let s = "";
      i++;
      for (;;) {
        if (i >= src.length) throw new Error(`unterminated string in ${src}`);
        if (src[i] === "'" && src[i + 1] === "'") {
          s += "'";
          i += 2;
        } else if (src[i] === "'") {
          i++;
          break;
        } else s += src[i++];
      }
      out.push({ t: "str", v: s });
    } else if (/[A-Za-z_]/.test(c)) {
      let s = "";
      while (i < src.length && /[A-Za-z0-9_.\-*]/.test(src[i] as string)) s += src[i++];
      out.push({ t: "id", v: s });
    } else {
      const two = src.slice(i, i + 2);
      if (["&&", "||", "==", "!="].includes(two)) {
        out.push({ t: "op", v: two });
        i += 2;
      } else if ("!(),".includes(c)) {
        out.push({ t: "op", v: c });
        i++;
      } else throw new Error(`unexpected ${c} in ${src}`);
    }
  }
  return out;
}

export const truthy = (v: Value) => v !== null && v !== false && v !== "" && v !== 0;

export function evaluate(src: string, ctx: ExpressionContext): Value {
  const toks = tokenize(src);
  let p = 0;
  const peek = () => toks[p];
  const take = (v?: string) => {
    const t = toks[p++];
    if (!t || (v !== undefined && t.v !== v)) throw new Error(`expected ${v ?? "a token"} in ${src}`);
    return t;
  };
  const primary = (): Value => {
    const t = take();
    if (t.t === "str") return t.v;
    if (t.t === "op" && t.v === "!") return !truthy(primary());
    if (t.t === "op" && t.v === "(") {
      const v = or();
      take(")");
      return v;
    }
    if (t.t === "id") {
      if (t.v === "true" || t.v === "false") return t.v === "true";
      if (t.v === "null") return null;
      if (peek()?.v === "(") {
        take("(");
        const args: Value[] = [];
        while (peek()?.v !== ")") {
          args.push(or());
          if (peek()?.v === ",") take(",");
        }
        take(")");
        return ctx.call(t.v, args);
      }
      return ctx.lookup(t.v);
    }
    throw new Error(`unexpected ${t.v} in ${src}`);
  };
  const cmp = (): Value => {
    let l = primary();
    while (peek()?.v === "==" || peek()?.v === "!=") {
      const op = take().v;
      const r = primary();
      const eq = typeof l === "string" && typeof r === "string" ? l.toLowerCase() === r.toLowerCase() : l === r;
      l = op === "==" ? eq : !eq;
    }
    return l;
  };
  const and = (): Value => {
    let l = cmp();
    while (peek()?.v === "&&") {
      take();
      const r = cmp();
      l = truthy(l) ? r : l;
    }
    return l;
  };
  const or = (): Value => {
    let l = and();
    while (peek()?.v === "||") {
      take();
      const r = and();
      l = truthy(l) ? l : r;
    }
    return l;
  };
  const v = or();
  if (p !== toks.length) throw new Error(`trailing tokens in ${src}`);
  return v;
}
