// Order statistics of a sample, shared by the bench scripts.

export const sorted = (values: number[]) => [...values].sort((x, y) => x - y)

/** The q-quantile (0..1) by the nearest-rank method. */
export const quantile = (values: number[], q: number) => sorted(values)[Math.max(0, Math.ceil(q * values.length) - 1)] ?? NaN

export const median = (values: number[]) => {
  const s = sorted(values)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid] ?? NaN : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2
}
