import { describe, expect, it } from 'vitest'
import { setStatus } from '../../../../src/renderer/src/db/actions'
import { readLastSeq } from '../../../../src/renderer/src/db/database'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import type { Mention } from '../../../../src/shared/domain'
import { batch, freshDb, mention } from '../fixtures'

async function snapshot(db: ReturnType<typeof freshDb>) {
  return {
    mentions: await db.mentions.toArray(),
    states: await db.states.toArray(),
    meta: await db.meta.toArray(),
  }
}

describe('ingestBatch', () => {
  it('stores the mentions, a state for each (directed in Inbox, overheard watched), and lastSeq', async () => {
    const db = freshDb()
    const result = await ingestBatch(db, batch(1, [1, 2, 3]), 5)
    expect(result).toEqual({ stored: 3, created: 3, lastSeq: 1 })
    expect(await db.mentions.get('demo:2')).toEqual(mention(2))
    expect(await db.states.get('demo:2')).toEqual({
      id: 'demo:2',
      status: 'open',
      updatedAt: 5,
      createdAt: mention(2).createdAt,
      urgency: mention(2).triage.urgency,
      directed: 1,
      intent: 'other',
      sentiment: 'negative',
      sourceId: 'demo',
      platform: 'demo',
      authorId: 'demo:author-2',
      inbox: 1,
    })
    expect((await db.states.get('demo:1'))?.status).toBe('monitor')
    expect(await readLastSeq(db)).toBe(1)
  })

  it('is idempotent: replaying a batch leaves the same rows', async () => {
    const db = freshDb()
    await ingestBatch(db, batch(1, [1, 2, 3]), 5)
    const before = await snapshot(db)
    const replay = await ingestBatch(db, batch(1, [1, 2, 3]), 99)
    expect(replay.created).toBe(0)
    expect(await snapshot(db)).toEqual(before)
  })

  it('keeps what the responder did when a mention is delivered again', async () => {
    const db = freshDb()
    await ingestBatch(db, batch(1, [1, 2]))
    await setStatus(db, 'demo:1', 'done', 42)
    const base = mention(1)
    const refreshed = { ...base, text: 'edited', triage: { ...base.triage, urgency: 99 } }
    await ingestBatch(db, { seq: 2, sourceId: 'demo', mentions: [refreshed] })
    // Content and its sort keys are refreshed; what the responder did is not.
    expect(await db.states.get('demo:1')).toMatchObject({ status: 'done', doneAt: 42, urgency: 99 })
    expect((await db.mentions.get('demo:1'))?.text).toBe('edited')
  })

  it('never moves lastSeq backwards', async () => {
    const db = freshDb()
    await ingestBatch(db, batch(5, [1]))
    await ingestBatch(db, batch(3, [2]))
    expect(await readLastSeq(db)).toBe(5)
  })

  it('writes nothing when a row in the batch fails', async () => {
    const db = freshDb()
    await ingestBatch(db, batch(1, [1]))
    const before = await snapshot(db)
    const broken = { ...mention(3), id: undefined } as unknown as Mention
    const bad = { seq: 2, sourceId: 'demo', mentions: [mention(2), broken, mention(4)] }
    await expect(ingestBatch(db, bad)).rejects.toThrow()
    expect(await snapshot(db)).toEqual(before)
  })

  it('marks its timing for the benchmark', async () => {
    const db = freshDb()
    performance.clearMeasures('earshot:ingest')
    await ingestBatch(db, batch(1, [1, 2]))
    const entries = performance.getEntriesByName('earshot:ingest', 'measure')
    expect(entries).toHaveLength(1)
    expect((entries[0] as PerformanceMeasure).detail).toEqual({ count: 2 })
  })
})

describe('setStatus', () => {
  const keys = {
    createdAt: mention(1).createdAt,
    urgency: mention(1).triage.urgency,
    directed: 0,
    intent: 'other',
    sentiment: 'negative',
    sourceId: 'demo',
    platform: 'demo',
    authorId: 'demo:author-1',
  }

  it('marks done with a time and reopens without one, keeping the sort keys', async () => {
    const db = freshDb()
    await ingestBatch(db, batch(1, [1]))
    await setStatus(db, 'demo:1', 'done', 10)
    expect(await db.states.get('demo:1')).toEqual({
      id: 'demo:1',
      status: 'done',
      updatedAt: 10,
      doneAt: 10,
      ...keys,
    })
    await setStatus(db, 'demo:1', 'open', 20)
    expect(await db.states.get('demo:1')).toEqual({
      id: 'demo:1',
      status: 'open',
      updatedAt: 20,
      ...keys,
    })
  })

  it('toggles, and leaves ids it never stored alone', async () => {
    const db = freshDb()
    await ingestBatch(db, batch(1, [1]))
    expect((await setStatus(db, 'demo:1', 'toggle'))?.status).toBe('done')
    expect((await setStatus(db, 'demo:1', 'toggle'))?.status).toBe('open')
    expect(await setStatus(db, 'nope', 'done')).toBeNull()
    expect(await db.states.get('nope')).toBeUndefined()
  })
})
