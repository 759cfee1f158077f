import { describe, expect, it } from 'vitest'
import { setStatus } from '../../../../src/renderer/src/db/actions'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import {
  countUnhandledUrgent,
  loadQueueWindow,
  loadViewCounts,
  queuePosition,
  type QueueSort,
  type ViewId,
} from '../../../../src/renderer/src/db/queue-query'
import { freshDb, mention } from '../fixtures'

// n is also the age order: a higher n is newer.
const urgencies = [10, 90, 50, 90, 70]

async function seeded() {
  const db = freshDb()
  const mentions = urgencies.map((urgency, n) => {
    const base = mention(n)
    // All directed, so every one lands in Inbox.
    return { ...base, triage: { ...base.triage, urgency, directed: true } }
  })
  await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions })
  return db
}

const ids = async (db: Awaited<ReturnType<typeof seeded>>, view: ViewId, sort: QueueSort) =>
  (await loadQueueWindow(db, { view, sort }, 0, 100)).rows.map((row) => row.mention.id)

describe('queue views', () => {
  it('orders newest first', async () => {
    const db = await seeded()
    expect(await ids(db, 'all', 'time')).toEqual(['demo:4', 'demo:3', 'demo:2', 'demo:1', 'demo:0'])
  })

  it('orders most urgent first, newest first among equals', async () => {
    const db = await seeded()
    expect(await ids(db, 'all', 'urgency')).toEqual([
      'demo:3',
      'demo:1',
      'demo:4',
      'demo:2',
      'demo:0',
    ])
  })

  it('filters by the responder state and counts each tab', async () => {
    const db = await seeded()
    await setStatus(db, 'demo:3', 'done')
    expect(await ids(db, 'done', 'time')).toEqual(['demo:3'])
    expect(await ids(db, 'inbox', 'urgency')).toEqual(['demo:1', 'demo:4', 'demo:2', 'demo:0'])
    expect(await ids(db, 'inbox', 'time')).toEqual(['demo:4', 'demo:2', 'demo:1', 'demo:0'])
    expect(await loadViewCounts(db)).toEqual({
      inbox: 4,
      urgent: 2,
      watching: 0,
      waiting: 0,
      snoozed: 0,
      done: 1,
      all: 5,
    })
  })

  it('reads a window at an offset, with content and state', async () => {
    const db = await seeded()
    const window = await loadQueueWindow(db, { view: 'all', sort: 'time' }, 1, 2)
    expect(window.start).toBe(1)
    expect(window.rows.map((row) => [row.mention.id, row.state.status])).toEqual([
      ['demo:3', 'open'],
      ['demo:2', 'open'],
    ])
  })

  it('takes the mentions the caller already holds as they are and reads only the others', async () => {
    const db = await seeded()
    const held = { ...mention(3), text: 'as the grid holds it' }
    const window = await loadQueueWindow(
      db,
      { view: 'all', sort: 'time' },
      1,
      2,
      undefined,
      undefined,
      (id) => (id === 'demo:3' ? held : undefined),
    )
    expect(window.rows[0]!.mention).toBe(held)
    expect(window.rows[1]!.mention).toEqual(await db.mentions.get('demo:2'))
    expect(window.rows.map((row) => row.state.id)).toEqual(['demo:3', 'demo:2'])
  })

  it('finds where a mention sits in each view, or -1 when the view lacks it', async () => {
    const db = await seeded()
    await setStatus(db, 'demo:3', 'done')
    await setStatus(db, 'demo:1', 'monitor')
    for (const filter of ['all', 'inbox', 'urgent', 'watching', 'done'] as const) {
      for (const sort of ['time', 'urgency'] as const) {
        const order = await ids(db, filter, sort)
        for (const id of ['demo:0', 'demo:1', 'demo:2', 'demo:3', 'demo:4']) {
          expect(await queuePosition(db, filter, sort, id), `${id} in ${filter}/${sort}`).toBe(
            order.indexOf(id),
          )
        }
      }
    }
  })

  it('breaks ties on equal keys the way the view orders them', async () => {
    const db = freshDb()
    const same = [mention(1), mention(2), mention(3)].map((m) => ({ ...m, createdAt: 5 }))
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: same })
    const order = await ids(db, 'all', 'time')
    for (const id of order)
      expect(await queuePosition(db, 'all', 'time', id)).toBe(order.indexOf(id))
  })

  it('counts open or watched urgent mentions for the tray', async () => {
    const db = await seeded()
    expect(await countUnhandledUrgent(db)).toBe(3)
    await setStatus(db, 'demo:1', 'monitor')
    expect(await countUnhandledUrgent(db)).toBe(3)
    await setStatus(db, 'demo:1', 'done')
    expect(await countUnhandledUrgent(db)).toBe(2)
  })
})
