/**
 * True when the disk is full. Chromium raises QuotaExceededError, and a transaction it kills
 * surfaces as an AbortError (Dexie's or the DOM's) that carries it as `inner` or `cause`.
 */
export function isQuotaError(cause: unknown, depth = 0): boolean {
  if (typeof cause !== 'object' || cause === null || depth > 4) return false
  const {
    name,
    inner,
    cause: nested,
  } = cause as { name?: unknown; inner?: unknown; cause?: unknown }
  if (name === 'QuotaExceededError') return true
  return isQuotaError(inner, depth + 1) || isQuotaError(nested, depth + 1)
}

/** Why the history could not be opened, in words; the data is never deleted to recover. */
export function describeOpenFailure(cause: unknown): string {
  const name =
    typeof cause === 'object' && cause !== null ? (cause as { name?: unknown }).name : null
  if (name === 'VersionError') {
    return 'This history was written by a newer Earshot. Update Earshot to open it; nothing was changed.'
  }
  if (isQuotaError(cause))
    return 'Storage full: Earshot cannot open its history until there is room.'
  return 'Earshot could not open its history on this computer. Restart Earshot; nothing was deleted.'
}
