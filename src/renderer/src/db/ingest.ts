import type { Batch, Mention } from '../../../shared/domain'
import type { EarshotDb, ResponderState } from './database'

export type IngestResult = { stored: number; created: number; lastSeq: number }

/**
 * Stores one delivered batch in one transaction: content is replaced, a responder state is created
 * only where none exists (an existing one keeps its status), and lastSeq only moves forward. If
 * anything fails nothing is written.
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
      // The last copy of a mention repeated within one batch wins, as it does for the content.
      const latest = new Map<string, Mention>(
        batch.mentions.map((mention) => [mention.id, mention]),
      )
      const ids = [...latest.keys()]
      await db.mentions.bulkPut(batch.mentions)
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
      const lastSeq = Math.max((await db.meta.get('lastSeq'))?.value ?? 0, batch.seq)
      await db.meta.put({ key: 'lastSeq', value: lastSeq })
      return { stored: batch.mentions.length, created, lastSeq }
    })
    // The ingest benchmark reads these entries.
    performance.measure('earshot:ingest', { start, detail: { count: batch.mentions.length } })
    return result
  } finally {
    performance.clearMarks(start)
  }
}
