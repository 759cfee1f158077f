import type { Batch, Mention } from '../../../shared/domain'
import { readLastSeq, type EarshotDb, type ResponderState } from './database'

export type IngestResult = { stored: number; created: number; lastSeq: number }

/**
 * Stores delivered batches in one transaction: content is replaced, a responder state is created
 * only where none exists (an existing one keeps its status), and lastSeq only moves forward. If
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
    const result = await db.transaction('rw', db.mentions, db.states, db.meta, async () => {
      // The last copy of a mention repeated within the page wins, as it does for the content.
      const latest = new Map<string, Mention>(mentions.map((mention) => [mention.id, mention]))
      const ids = [...latest.keys()]
      await db.mentions.bulkPut([...latest.values()])
      const existing = await db.states.bulkGet(ids)
      let created = 0
      const states = ids.map((id, index): ResponderState => {
        const { createdAt, triage } = latest.get(id) as Mention
        const known = existing[index]
        if (known) return { ...known, createdAt, urgency: triage.urgency }
        created += 1
        return { id, status: 'open', updatedAt: now, createdAt, urgency: triage.urgency }
      })
      await db.states.bulkPut(states)
      const lastSeq = Math.max(await readLastSeq(db), topSeq)
      await db.meta.put({ key: 'lastSeq', value: lastSeq })
      return { stored: mentions.length, created, lastSeq }
    })
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
