import { useState, useSyncExternalStore } from 'react'
import { showsArrivals, viewCountsInMemory, type ViewCounts } from '../../db/queue-query'
import { stateMirrorOf } from '../../db/state-mirror'
import { useServices } from '../../services'

/**
 * The built-in views' sizes from the states mirror, when they should be shown instead of
 * `fromDisk` (the live query's answer in hand); else null. While mentions wait in the inflow they
 * are in no index, so the disk cannot count them. The inflow empties as the last spread commits,
 * before the live query has read the disk again: until its next answer arrives, the one in hand
 * misses what was just spread, and showing it would shrink the tabs and the tray count, and cut
 * the queue's last rows, for a moment. Afterwards the disk counts again, so an idle queue does not
 * walk the mirror on every change. Re-renders with every change of the mirror.
 */
export function useMirrorCounts(fromDisk: unknown): ViewCounts | null {
  const { db } = useServices()
  const mirror = stateMirrorOf(db)
  useSyncExternalStore(mirror.subscribe, mirror.version)
  const arrivals = showsArrivals(db, mirror)
  // The answer that was in hand while mentions waited; a different one was read after the spread.
  const [beforeSpread, setBeforeSpread] = useState<{ answer: unknown } | null>(null)
  const held = beforeSpread !== null && beforeSpread.answer === fromDisk
  if (arrivals && !held) setBeforeSpread({ answer: fromDisk })
  else if (!arrivals && beforeSpread !== null && !held) setBeforeSpread(null)
  // Counted once per version of the mirror (viewCountsInMemory caches it).
  return arrivals || (mirror.ready && held) ? viewCountsInMemory(mirror) : null
}
