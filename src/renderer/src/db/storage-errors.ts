/**
 * True when the disk is full. Chromium raises QuotaExceededError, and a transaction it kills
 * surfaces as an AbortError (Dexie's or the DOM's) that carries it as `inner` or `cause`.
 */
export function isQuotaError(cause: unknown, depth = 0): boolean {
  if (typeof cause !== 'object' || cause === null || depth > 4) return false
  const { name, inner, cause: nested } = cause as { name?: unknown; inner?: unknown; cause?: unknown }
  if (name === 'QuotaExceededError') return true
  return isQuotaError(inner, depth + 1) || isQuotaError(nested, depth + 1)
}
