// Small statistics over lists of timings (milliseconds).

export function quantile(values, q) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const median = (values) => quantile(values, 0.5);

/** Milliseconds since `start` (a value of `process.hrtime.bigint()`). */
export function msSince(start) {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** The mean of the middle half (interquartile mean): steadier than the median on a busy machine. */
export function midMean(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.slice(Math.floor(s.length / 4), Math.ceil((s.length * 3) / 4));
  return mid.reduce((a, b) => a + b, 0) / mid.length;
}
