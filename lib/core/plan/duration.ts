/**
 * How long a plan took, as people write it in SUMMARY.md: `4min`, `~5 min`, `1h 20m`,
 * `3 min 20 sec`, `1.5h`, `00:45:00`, `290`, `8 min (incl. checkpoint)`. Result is in minutes.
 *
 * Rules, in the order they are tried on the text that follows an approximation marker:
 * - Clock `h:mm:ss`. A two-part `12:34` is refused: it could be `m:ss` or `h:mm`.
 * - Range `15-20 min`, `1-2h`, `5 to 10 minutes`: the MIDPOINT. It is the best single estimate
 *   for simulation and budgets; a range's upper bound would bias every total upwards.
 * - One or more `<number><unit>` parts, summed: `1h 20m`, `2m 30s`, `1h10min`, `3 min, 20 sec`.
 * - A number alone (YAML number or text) is in `bareUnit`, minutes unless the caller's key says
 *   otherwise (`duration_seconds`). Text after a bare number is only allowed when it is a note
 *   (`45 (planning + execution)`), so `1 session` or `2 work sessions` are not read as minutes.
 * Markers `~`, `≈`, `<`, `>`, `about`, `under`... are dropped: `<1min` reads as 1 minute.
 * Only the leading expression counts; what follows it (`(incl. checkpoint)`, `of which...`,
 * `| 3 commits`) is a note. A value that does not START with a length of time is unreadable:
 * `multi-session (~3h active)`, `N/A`, `Single session`. Zero, negative or non-finite results
 * are unreadable too. Never throws.
 */
export type BareUnit = "minutes" | "seconds";

const UNIT_MINUTES: Record<string, number> = {
  d: 1440,
  day: 1440,
  days: 1440,
  h: 60,
  hr: 60,
  hrs: 60,
  hour: 60,
  hours: 60,
  stunde: 60,
  stunden: 60,
  m: 1,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  minuten: 1,
  s: 1 / 60,
  sec: 1 / 60,
  secs: 1 / 60,
  second: 1 / 60,
  seconds: 1 / 60,
  sekunde: 1 / 60,
  sekunden: 1 / 60,
  ms: 1 / 60000,
  millisecond: 1 / 60000,
  milliseconds: 1 / 60000,
};

// Longest spellings first; the lookahead keeps `5 months` or `3 mb` from reading as minutes.
const UNIT = "(milliseconds?|minutes?|minuten|mins?|ms|m|seconds?|sekunden?|secs?|s|hours?|hrs?|h|stunden?|days?|d)(?![a-z])";
const NUM = "(\\d+(?:\\.\\d+)?)";
const DASH = "\\s*(?:-|–|—|to)\\s*";

const MARKER = /^(?:[~≈<>≤≥]=?|(?:about|approx\.?|approximately|around|roughly|circa|ca\.|under|over|nearly|almost|less than|more than|up to)(?![a-z]))\s*/;
const CLOCK = /^(\d{1,3}):([0-5]\d):([0-5]\d)(?:\.\d+)?(?![\d:])/;
const RANGE = new RegExp(`^${NUM}\\s*(?:${UNIT})?${DASH}${NUM}\\s*${UNIT}`);
const PART = new RegExp(`\\s*(?:(?:,|and)\\s*)?${NUM}\\s*${UNIT}`, "y");
// A bare number must end the value or be followed by something that opens a note; a comma
// followed by a digit is a decimal comma (`1,5h`), which is refused rather than read as 1.
const BARE = new RegExp(`^${NUM}(?:${DASH}${NUM})?(?=\\s*(?:$|[([;|—–]|,(?!\\d)))`);

export function parseDuration(value: unknown, bareUnit: BareUnit = "minutes"): number | undefined {
  const perBare = bareUnit === "seconds" ? 1 / 60 : 1;
  if (typeof value === "number") return positive(value * perBare);
  if (typeof value !== "string") return undefined;
  return positive(parseText(stripMarkers(value), perBare));
}

function stripMarkers(value: string): string {
  let s = value
    .trim()
    .toLowerCase()
    .replace(/^[*_`"']+/, "");
  for (let guard = 0; guard < 4; guard++) {
    const m = MARKER.exec(s);
    if (!m || m[0] === "") break;
    s = s.slice(m[0].length);
  }
  return s;
}

function parseText(s: string, perBare: number): number | undefined {
  const clock = CLOCK.exec(s);
  if (clock) return Number(clock[1]) * 60 + Number(clock[2]) + Number(clock[3]) / 60;

  const range = RANGE.exec(s);
  if (range) {
    const high = unitMinutes(range[4]);
    const low = range[2] === undefined ? high : unitMinutes(range[2]);
    if (low === undefined || high === undefined) return undefined;
    return (Number(range[1]) * low + Number(range[3]) * high) / 2;
  }

  let total = 0;
  let matched = false;
  PART.lastIndex = 0;
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    const per = unitMinutes(m[2]);
    if (per === undefined) return undefined;
    total += Number(m[1]) * per;
    matched = true;
  }
  if (matched) return total;

  const bare = BARE.exec(s);
  if (!bare) return undefined;
  const low = Number(bare[1]);
  const high = bare[2] === undefined ? low : Number(bare[2]);
  return ((low + high) / 2) * perBare;
}

function unitMinutes(unit: string | undefined): number | undefined {
  return unit === undefined ? undefined : UNIT_MINUTES[unit];
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isFinite(n) && n > 0 ? n : undefined;
}
