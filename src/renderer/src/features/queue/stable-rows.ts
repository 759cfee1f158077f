import type { Mention } from '../../../../shared/domain'
import type { QueueRow } from '../../db/queue-query'

/*
 * Each new window of the queue is read afresh from IndexedDB, so every row arrives as a new
 * object even when nothing about it changed. Scrolling reads a new window every 50 rows; with new
 * objects, every visible row rendered again (about 60 rows, each a dozen components) in the frame
 * the window landed in, which at 100,000 mentions made the scroll's slowest frames. Rows equal to
 * one already shown keep that object, so the memoized rows render only what is new or changed.
 */

/** Structural equality of plain JSON-like data (what IndexedDB hands back). */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const keys = Object.keys(left)
  if (keys.length !== Object.keys(right).length) return false
  for (const key of keys) {
    if (!Object.hasOwn(right, key) || !sameData(left[key], right[key])) return false
  }
  return true
}

/**
 * The rows of a new window, each replaced by the object shown before for the same mention when
 * its mention and state are unchanged. `shown` is updated to hold exactly the returned rows.
 */
export function keepUnchanged(shown: Map<string, QueueRow>, rows: readonly QueueRow[]): QueueRow[] {
  const next = rows.map((row) => {
    const before = shown.get(row.mention.id)
    return before && sameData(before.state, row.state) && sameData(before.mention, row.mention)
      ? before
      : row
  })
  shown.clear()
  for (const row of next) shown.set(row.mention.id, row)
  return next
}

/** The rows a grid holds, and the mention version (mention-changes.ts) they were read at. */
export type HeldRows = {
  /** The held mentions, while no mention was written since they were read; else undefined. */
  known: (mentionsVersion: number) => ((id: string) => Mention | undefined) | undefined
  /** A new window's rows, kept as held objects where unchanged (keepUnchanged); now held. */
  keep: (mentionsVersion: number, rows: readonly QueueRow[]) => QueueRow[]
}

export function heldRows(): HeldRows {
  const shown = new Map<string, QueueRow>()
  let readAt = -1
  return {
    known: (mentionsVersion) =>
      readAt === mentionsVersion ? (id) => shown.get(id)?.mention : undefined,
    keep: (mentionsVersion, rows) => {
      readAt = mentionsVersion
      return keepUnchanged(shown, rows)
    },
  }
}
