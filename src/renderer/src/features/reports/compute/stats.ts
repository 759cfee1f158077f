/* Small order statistics for report figures. */

/**
 * The q-quantile (0–1) by linear interpolation between closest ranks, as spreadsheets'
 * PERCENTILE.INC and numpy's default: the median of 1, 2, 3, 10 is 2.5. Null for no values.
 */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const position = (sorted.length - 1) * Math.min(1, Math.max(0, q))
  const below = Math.floor(position)
  const low = sorted[below] ?? 0
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? low
  return low + (high - low) * (position - below)
}

export const median = (values: readonly number[]) => quantile(values, 0.5)

/**
 * The mean after dropping `share` of the values at each end (rounded down), so one forgotten tab
 * or one accidental double click does not set the pace. Null for no values.
 */
export function trimmedMean(values: readonly number[], share = 0.1): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const cut = Math.floor(sorted.length * share)
  const kept = sorted.slice(cut, sorted.length - cut)
  return kept.reduce((sum, value) => sum + value, 0) / kept.length
}
