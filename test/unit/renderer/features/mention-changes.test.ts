import { describe, expect, it } from 'vitest'
import { setStatus } from '../../../../src/renderer/src/db/actions'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { mentionChanges } from '../../../../src/renderer/src/features/queue/mention-changes'
import { freshDb, mention } from '../fixtures'

/** Resolves once Dexie's mutation events for the last write have been delivered. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20))

describe('mention changes', () => {
  it('moves when a mention is written, not when only a state is', async () => {
    const db = freshDb()
    const changes = mentionChanges(db)
    let heard = 0
    const stop = changes.subscribe(() => (heard += 1))
    try {
      await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: [mention(1), mention(2)] })
      await settle()
      const afterIngest = changes.version()
      expect(afterIngest).toBeGreaterThan(0)
      expect(heard).toBe(afterIngest)

      await setStatus(db, 'demo:1', 'done')
      await settle()
      expect(changes.version()).toBe(afterIngest)

      // A triage correction rewrites the mention itself: a held copy is stale now.
      await db.mentions.put({ ...mention(1), text: 'corrected' })
      await settle()
      expect(changes.version()).toBe(afterIngest + 1)
    } finally {
      stop()
    }
  })

  it('ignores writes to another database', async () => {
    const db = freshDb()
    const other = freshDb()
    const changes = mentionChanges(db)
    const stop = changes.subscribe(() => {})
    try {
      await ingestBatch(other, { seq: 1, sourceId: 'demo', mentions: [mention(1)] })
      await settle()
      expect(changes.version()).toBe(0)
    } finally {
      stop()
    }
  })
})
