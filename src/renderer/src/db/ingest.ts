import type { Batch } from '../../../shared/domain'
import type { EarshotDb, ResponderState } from './database'

export type IngestResult = { stored: number; created: number; lastSeq: number }

/**
 * Stores one delivered batch in one transaction: content is replaced, a responder state is created
 * only where none exists, and lastSeq only moves forward. If anything fails nothing is written.
 */
export async function ingestBatch(
  db: EarshotDb,
  batch: Batch,
  now: number = Date.now(),
): Promise<IngestResult> {
  const start = `earshot:ingest:start:${batch.seq}`
  performance.mark(start)
  try {
    const result = await db.transaction('rw', db.mentions, db.states, db.meta, async () => {
      const ids = [...new Set(batch.mentions.map((mention) => mention.id))]
      await db.mentions.bulkPut(batch.mentions)
      const existing = await db.states.bulkGet(ids)
      const fresh: ResponderState[] = []
      ids.forEach((id, index) => {
        if (existing[index] === undefined) fresh.push({ id, status: 'open', updatedAt: now })
      })
      if (fresh.length > 0) await db.states.bulkAdd(fresh)
      const lastSeq = Math.max((await db.meta.get('lastSeq'))?.value ?? 0, batch.seq)
      await db.meta.put({ key: 'lastSeq', value: lastSeq })
      return { stored: batch.mentions.length, created: fresh.length, lastSeq }
    })
    // The ingest benchmark reads these entries.
    performance.measure('earshot:ingest', { start, detail: { count: batch.mentions.length } })
    return result
  } finally {
    performance.clearMarks(start)
  }
}
