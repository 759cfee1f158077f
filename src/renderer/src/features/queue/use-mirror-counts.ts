import { useState } from 'react'
import { showsArrivals } from '../../db/queue-query'
import type { StateMirror } from '../../db/state-mirror'
import { useServices } from '../../services'

/**
 * Whether a count should come from the states mirror instead of `fromDisk`, the live query's answer
 * in hand. While mentions wait in the inflow they are in no index, so the disk cannot count them.
 * The inflow empties as the last spread commits, before the live query has read the disk again:
 * until its next answer arrives, the one in hand misses what was just spread, and showing it would
 * shrink the tabs and the tray count, and cut the queue's last rows, for a moment. Afterwards the
 * disk counts again, so an idle queue does not walk the mirror on every change.
 */
export function useMirrorCounts(mirror: StateMirror, fromDisk: unknown): boolean {
  const { db } = useServices()
  const arrivals = showsArrivals(db, mirror)
  // The answer that was in hand while mentions waited; a different one was read after the spread.
  const [beforeSpread, setBeforeSpread] = useState<{ answer: unknown } | null>(null)
  const held = beforeSpread !== null && beforeSpread.answer === fromDisk
  if (arrivals && !held) setBeforeSpread({ answer: fromDisk })
  else if (!arrivals && beforeSpread !== null && !held) setBeforeSpread(null)
  return arrivals || (mirror.ready && held)
}
