import { describe, expect, it } from 'vitest'
import { setStatus } from '../../../../src/renderer/src/db/actions'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import {
  countUnhandledUrgent,
  loadQueueCounts,
  loadQueueIds,
  loadQueueRows,
} from '../../../../src/renderer/src/db/queue-query'
import { versions } from '../../../../src/renderer/src/db/versions'
import type { Batch } from '../../../../src/shared/domain'
import { freshDb, mention } from '../fixtures'

const urgencies = [10, 90, 50, 90, 70]

async function seeded() {
  const db = freshDb()
  const mentions = urgencies.map((urgency, n) => {
    const base = mention(n)
    return { ...base, triage: { ...base.triage, urgency } }
  })
  const delivered: Batch = { seq: 1, sourceId: 'demo', mentions }
  await ingestBatch(db, delivered)
  return db
}

describe('queue queries', () => {
  it('orders newest first', async () => {
    const db = await seeded()
    expect(await loadQueueIds(db, 'all', 'time')).toEqual([
      'demo:4',
      'demo:3',
      'demo:2',
      'demo:1',
      'demo:0',
    ])
  })

  it('orders most urgent first, newest first among equals', async () => {
    const db = await seeded()
    expect(await loadQueueIds(db, 'all', 'urgency')).toEqual([
      'demo:3',
      'demo:1',
      'demo:4',
      'demo:2',
      'demo:0',
    ])
  })

  it('filters by the responder state, and counts each tab', async () => {
    const db = await seeded()
    await setStatus(db, 'demo:3', 'done')
    expect(await loadQueueIds(db, 'done', 'time')).toEqual(['demo:3'])
    expect(await loadQueueIds(db, 'open', 'urgency')).toEqual(['demo:1', 'demo:4', 'demo:2', 'demo:0'])
    expect(await loadQueueCounts(db)).toEqual({ open: 4, done: 1, all: 5 })
  })

  it('loads rows for a window of ids, skipping unknown ones', async () => {
    const db = await seeded()
    const rows = await loadQueueRows(db, ['demo:2', 'nope', 'demo:0'])
    expect(rows.map((row) => [row.mention.id, row.state?.status])).toEqual([
      ['demo:2', 'open'],
      ['demo:0', 'open'],
    ])
  })

  it('counts open urgent mentions for the tray', async () => {
    const db = await seeded()
    expect(await countUnhandledUrgent(db)).toBe(3)
    await setStatus(db, 'demo:1', 'done')
    expect(await countUnhandledUrgent(db)).toBe(2)
  })
})

describe('schema versions', () => {
  it('is an append-only list starting at 1, with v1 tables as designed', async () => {
    expect(versions.map((entry) => entry.version)).toEqual([1])
    const db = freshDb()
    await db.open()
    expect(db.verno).toBe(1)
    const indexes = (name: string) => db.table(name).schema.indexes.map((index) => index.keyPath)
    expect(indexes('mentions')).toEqual(['createdAt', 'sourceId', 'platform', 'triage.urgency', 'author.id'])
    expect(indexes('states')).toEqual(['status', 'updatedAt'])
    expect(db.table('meta').schema.primKey.keyPath).toBe('key')
  })
})
