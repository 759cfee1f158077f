import { Dexie } from 'dexie'
import type { Batch, Mention } from '../../../shared/domain'
import { readLastSeq, type EarshotDb, type ResponderState } from './database'
import { putReportRows, rowsOf } from './report-hours'
import { searchDocFor } from './search-index'
import { decisionOf, initialStatus, stateFor } from './state-keys'

const isDefined = <T>(value: T | undefined): value is T => value !== undefined

export type IngestResult = { stored: number; created: number; lastSeq: number }

/**
 * Stores delivered batches in one transaction: content is replaced, a responder state is created
 * only where none exists (an existing one keeps its status and takes the new copied keys), and lastSeq only moves forward. If
 * anything fails nothing is written. A catch-up passes a page of batches at once: one transaction
 * instead of one per batch.
 */
export async function ingestBatches(
  db: EarshotDb,
  batches: readonly Batch[],
  now: number = Date.now(),
): Promise<IngestResult> {
  const mentions = batches.flatMap((batch) => batch.mentions)
  const topSeq = batches.reduce((max, batch) => Math.max(max, batch.seq), 0)
  const start = `earshot:ingest:start:${topSeq}`
  performance.mark(start)
  try {
    const result = await db.transaction(
      'rw',
      [db.mentions, db.states, db.meta, db.search, db.reportHours],
      async () => {
        // The last copy of a mention repeated within the page wins, as it does for the content.
        const latest = new Map<string, Mention>(mentions.map((mention) => [mention.id, mention]))
        const fresh = [...latest.values()]
        await db.mentions.bulkPut(fresh)
        // The word index follows the content: a re-delivered mention's words are replaced.
        await db.search.bulkPut(fresh.map(searchDocFor))
        // Most of a page is new: add states blind, then look up only the ones that already existed,
        // which keep their status and take the new sort keys.
        // Directed mentions land in Inbox, overheard ones in Watching.
        const states = fresh.map((mention): ResponderState =>
          stateFor(mention, { status: initialStatus(mention), updatedAt: now }),
        )
        let created = states.length
        let known: (ResponderState | undefined)[] = []
        try {
          await db.states.bulkAdd(states)
        } catch (cause) {
          if (!(cause instanceof Dexie.BulkError)) throw cause
          const clashes = Object.keys(cause.failuresByPos).map(Number)
          created -= clashes.length
          known = await db.states.bulkGet(clashes.map((pos) => states[pos]!.id))
          clashes.forEach((pos, index) => {
            const existing = known[index]
            // The responder's decision stays; the copied keys follow the new content.
            if (existing) states[pos] = stateFor(fresh[pos]!, decisionOf(existing))
          })
          await db.states.bulkPut(clashes.map((pos) => states[pos]!))
        }
        // The report's rows follow content and state; a known mention's old row is replaced.
        await putReportRows(db.reportHours, rowsOf(fresh, states), known.filter(isDefined))
        const lastSeq = Math.max(await readLastSeq(db), topSeq)
        await db.meta.put({ key: 'lastSeq', value: lastSeq })
        return { stored: mentions.length, created, lastSeq }
      },
    )
    // The ingest benchmark reads these entries.
    performance.measure('earshot:ingest', { start, detail: { count: mentions.length } })
    return result
  } finally {
    performance.clearMarks(start)
  }
}

/** Stores one pushed batch. */
export const ingestBatch = (db: EarshotDb, batch: Batch, now: number = Date.now()) =>
  ingestBatches(db, [batch], now)
