import { compareText } from "../common/compare-text";
/**
 * Phase numbers as GSD writes them: `2`, `02`, `002`, `02.1`, `3.9.4`, `36B`. Two spellings are
 * the same phase when their normal forms are equal (`02.1` = `2.1`, `36b` = `36B`).
 */
const PHASE_TOKEN = /^(\d+(?:\.\d+)*[A-Za-z]?)$/;
/** Optional milestone prefix (`v1.2-`), the number, then an optional `-slug`. */
const PHASE_DIR = /^(?:v\d+(?:\.\d+)*-)?(\d+(?:\.\d+)*[A-Za-z]?)(?:-(.*))?$/;

export function isPhaseNumber(s: string): boolean {
  return PHASE_TOKEN.test(s.trim());
}

/** `002` -> `2`, `02.01` -> `2.1`, `36b` -> `36B`. Input must satisfy `isPhaseNumber`. */
export function normalizePhaseNumber(s: string): string {
  const t = s.trim();
  const letter = /[A-Za-z]$/.test(t) ? t.slice(-1).toUpperCase() : "";
  const digits = letter ? t.slice(0, -1) : t;
  return (
    digits
      .split(".")
      .map((part) => String(Number(part)))
      .join(".") + letter
  );
}

export function samePhaseNumber(a: string, b: string): boolean {
  return isPhaseNumber(a) && isPhaseNumber(b) && normalizePhaseNumber(a) === normalizePhaseNumber(b);
}

/** Numeric order by segment, then letter suffix: 2 < 2.1 < 2.10 < 3 < 36 < 36A < 36B < 37. */
export function comparePhaseNumbers(a: string, b: string): number {
  const pa = splitNumber(a);
  const pb = splitNumber(b);
  const n = Math.max(pa.parts.length, pb.parts.length);
  for (let i = 0; i < n; i++) {
    const x = pa.parts[i];
    const y = pb.parts[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x !== y) return x - y;
  }
  return compareText(pa.letter, pb.letter);
}

function splitNumber(s: string): { parts: number[]; letter: string } {
  const norm = isPhaseNumber(s) ? normalizePhaseNumber(s) : s;
  const letter = /[A-Z]$/.test(norm) ? norm.slice(-1) : "";
  const body = letter ? norm.slice(0, -1) : norm;
  return {
    parts: body
      .split(".")
      .map((p) => Number(p))
      .filter((n) => Number.isFinite(n)),
    letter,
  };
}

export interface PhaseDirName {
  /** The number as written in the directory name, e.g. `02.1`; absent for `tools-email`. */
  number?: string;
  slug: string;
}

export function parsePhaseDirName(name: string): PhaseDirName {
  const m = PHASE_DIR.exec(name);
  if (!m || m[1] === undefined) return { slug: name };
  return { number: m[1], slug: m[2] ?? "" };
}

/**
 * Natural order for names with embedded numbers, so `02-10` sorts after `02-9`: runs of digits
 * compare by value, other characters case-insensitively, then by code unit as a tie-break.
 * Hand-written rather than `localeCompare(..., {numeric: true})`: building an ICU collator costs
 * several milliseconds of every short-lived CLI process.
 */
export function compareNatural(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ei = i;
      let ej = j;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      const na = a.slice(i, ei).replace(/^0+(?=\d)/, "");
      const nb = b.slice(j, ej).replace(/^0+(?=\d)/, "");
      if (na.length !== nb.length) return na.length - nb.length;
      if (na !== nb) return na < nb ? -1 : 1;
      i = ei;
      j = ej;
      continue;
    }
    const la = lower(ca);
    const lb = lower(cb);
    if (la !== lb) return la - lb;
    i++;
    j++;
  }
  if (a.length - i !== b.length - j) return a.length - i - (b.length - j);
  return compareText(a, b);
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
