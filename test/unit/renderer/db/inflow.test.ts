import { afterEach, describe, expect, it, vi } from 'vitest'
import { setStatus } from '../../../../src/renderer/src/db/actions'
import { applyCorrection } from '../../../../src/renderer/src/db/corrections'
import { openDatabase, readLastSeq, type EarshotDb } from '../../../../src/renderer/src/db/database'
import { loadThread, searchHistory } from '../../../../src/renderer/src/db/history-query'
import {
  INFLOW_CHUNK,
  receiveBatches,
  settleInflow,
  spreadInflow,
  startSpreader,
  type Spreader,
} from '../../../../src/renderer/src/db/inflow'
import { inflowOverlayOf } from '../../../../src/renderer/src/db/inflow-overlay'
import { ingestBatches } from '../../../../src/renderer/src/db/ingest'
import { loadQueueWindow } from '../../../../src/renderer/src/db/queue-query'
import { stateMirrorOf } from '../../../../src/renderer/src/db/state-mirror'
import { startSync } from '../../../../src/renderer/src/db/sync'
import type { Batch } from '../../../../src/shared/domain'
import { ok } from '../../../../src/shared/result'
import { batch, fakeClient, freshDb, mention } from '../fixtures'

const spreaders: Spreader[] = []
afterEach(() => spreaders.splice(0).forEach((spreader) => spreader.stop()))

const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i)

/** Every row of the tables a spread writes, to compare two databases. */
async function tables(db: EarshotDb) {
  return {
    mentions: await db.mentions.orderBy(':id').toArray(),
    states: await db.states.orderBy(':id').toArray(),
    reportHours: await db.reportHours.orderBy(':id').toArray(),
    backlog: (await db.meta.toArray()).filter((row) => row.key.startsWith('words:')),
  }
}

describe('receiving delivered batches', () => {
  it('stores one inflow row per chunk and moves lastSeq, leaving the tables to the spread', async () => {
    const db = freshDb()
    const result = await receiveBatches(db, [batch(1, range(0, INFLOW_CHUNK + 5)), batch(2, [])])
    expect(result).toEqual({ stored: INFLOW_CHUNK + 5, lastSeq: 2 })
    const rows = await db.inflow.toArray()
    expect(rows.map((row) => row.mentions.length)).toEqual([INFLOW_CHUNK, 5])
    expect(rows.every((row) => row.seq === 2)).toBe(true)
    expect(await readLastSeq(db)).toBe(2)
    expect(await db.mentions.count()).toBe(0)
    expect(await db.states.count()).toBe(0)
  })

  it('answers reads by id from the inflow: the content as delivered, the state a spread creates', async () => {
    const db = freshDb()
    await receiveBatches(db, [batch(1, [1, 2])], 5)
    expect(await db.mentions.get('demo:2')).toEqual(mention(2))
    expect(await db.mentions.bulkGet(['demo:1', 'demo:9'])).toEqual([mention(1), undefined])
    const [arrived] = await db.states.bulkGet(['demo:2'])
    await spreadInflow(db)
    // The very state the spread wrote, and what it reads afterwards.
    expect(arrived).toEqual(await db.states.get('demo:2'))
    expect(arrived).toMatchObject({ status: 'open', inbox: 1, updatedAt: 5 })
    // A copy: changing what was read changes nothing stored or waiting.
    const read = await db.mentions.get('demo:1')
    read!.text = 'changed'
    expect((await db.mentions.get('demo:1'))?.text).toBe(mention(1).text)
  })

  it('writes exactly what storing the batches at once writes, once spread', async () => {
    const direct = freshDb()
    const twoStep = freshDb()
    const batches: Batch[] = [batch(1, range(0, 40)), batch(2, range(30, 20))]
    // A mention the responder already handled is delivered again.
    await ingestBatches(direct, [batch(0, [3])], 1)
    await ingestBatches(twoStep, [batch(0, [3])], 1)
    await setStatus(direct, 'demo:3', 'done', 2)
    await setStatus(twoStep, 'demo:3', 'done', 2)
    await ingestBatches(direct, batches, 7)
    await receiveBatches(twoStep, batches, 7)
    await settleInflow(twoStep)
    const [a, b] = [await tables(direct), await tables(twoStep)]
    expect(b.mentions).toEqual(a.mentions)
    expect(b.states).toEqual(a.states)
    expect(b.reportHours).toEqual(a.reportHours)
    expect(b.backlog.flatMap((row) => row.value as string[]).sort()).toEqual(
      a.backlog.flatMap((row) => row.value as string[]).sort(),
    )
    expect((await twoStep.states.get('demo:3'))?.status).toBe('done')
    expect(await twoStep.inflow.count()).toBe(0)
  })
})

describe('the page shows delivered mentions before they are spread', () => {
  it('puts their states in a loaded mirror at once, keeping a known decision', async () => {
    const db = freshDb()
    await ingestBatches(db, [batch(1, [1])], 1)
    await setStatus(db, 'demo:1', 'done', 2)
    const mirror = stateMirrorOf(db)
    await mirror.start()
    await receiveBatches(db, [batch(2, [1, 2])], 9)
    expect(mirror.get('demo:2')).toMatchObject({ status: 'open', updatedAt: 9 })
    expect(mirror.get('demo:1')).toMatchObject({ status: 'done', updatedAt: 2 })
    const inbox = await loadQueueWindow(
      db,
      { view: 'inbox', sort: 'time' },
      0,
      10,
      undefined,
      mirror,
    )
    expect(inbox.rows.map((row) => row.mention.id)).toEqual([])
    const all = await loadQueueWindow(
      db,
      { view: 'all', sort: 'urgency' },
      0,
      10,
      undefined,
      mirror,
    )
    expect(all.rows.map((row) => row.mention.id).sort()).toEqual(['demo:1', 'demo:2'])
    expect(all.rows.find((row) => row.mention.id === 'demo:2')?.mention).toEqual(mention(2))
  })

  it('puts them in a mirror that loads later', async () => {
    const db = freshDb()
    await receiveBatches(db, [batch(1, [1, 2])], 9)
    const mirror = stateMirrorOf(db)
    await mirror.start()
    expect([...mirror.all()].map((state) => state.id).sort()).toEqual(['demo:1', 'demo:2'])
  })

  it('finds them by search, with their words as delivered', async () => {
    const db = freshDb()
    await ingestBatches(db, [batch(1, [1])], 1)
    const renamed = { ...mention(1), text: 'a parcel arrived broken' }
    await receiveBatches(db, [{ seq: 2, sourceId: 'demo', mentions: [renamed, mention(2)] }], 9)
    const found = await searchHistory(db, { query: 'parcel', filters: {}, sort: 'time' })
    expect(found.ids).toEqual(['demo:1'])
    expect((await searchHistory(db, { query: 'number 2', filters: {}, sort: 'time' })).ids).toEqual(
      ['demo:2'],
    )
    // The stored copy's old words no longer match.
    expect((await searchHistory(db, { query: 'number 1', filters: {}, sort: 'time' })).ids).toEqual(
      [],
    )
  })

  it('puts replies waiting in the inflow in their thread', async () => {
    const db = freshDb()
    await ingestBatches(db, [batch(1, [1])], 1)
    const reply = mention(2, { replyTo: 'demo:1', threadId: 'demo:1' })
    await receiveBatches(db, [{ seq: 2, sourceId: 'demo', mentions: [reply] }], 9)
    expect((await loadThread(db, 'demo:1')).map((m) => m.id)).toEqual(['demo:1', 'demo:2'])
    expect((await loadThread(db, 'demo:2')).map((m) => m.id)).toEqual(['demo:1', 'demo:2'])
  })
})

describe('acting on a mention before it is spread', () => {
  it('keeps the responder decision through the spread', async () => {
    const db = freshDb()
    await receiveBatches(db, [batch(1, [2])], 9)
    expect(await setStatus(db, 'demo:2', 'done', 10)).toMatchObject({ status: 'done' })
    await settleInflow(db)
    expect(await db.states.get('demo:2')).toMatchObject({ status: 'done', doneAt: 10 })
    expect(await db.mentions.get('demo:2')).toEqual(mention(2))
  })

  it('spreads before a correction, so the delivered copy never lands on the corrected one', async () => {
    const db = freshDb()
    await receiveBatches(db, [batch(1, [2])], 9)
    const praised = {
      ...mention(2).triage,
      sentiment: { ...mention(2).triage.sentiment, label: 'positive' as const },
    }
    await applyCorrection(db, 'demo:2', { sentiment: 'positive' }, praised, 10)
    await settleInflow(db)
    expect((await db.mentions.get('demo:2'))?.triage.sentiment.label).toBe('positive')
    expect(await db.states.get('demo:2')).toMatchObject({ sentiment: 'positive' })
  })
})

describe('spreading', () => {
  it('spreads the rows a closed page left, at the next start', async () => {
    const name = `earshot-inflow-${Math.random().toString(36).slice(2)}`
    const first = openDatabase(name)
    await receiveBatches(first, [batch(1, [1, 2])], 9)
    first.close()
    const again = openDatabase(name)
    const spreader = startSpreader(again)
    spreaders.push(spreader)
    await spreader.idle()
    expect(await again.inflow.count()).toBe(0)
    expect(await again.mentions.count()).toBe(2)
    expect(await again.states.get('demo:2')).toMatchObject({ status: 'open', updatedAt: 9 })
    again.close()
  })

  it('forgets what another window spread', async () => {
    const name = `earshot-inflow-${Math.random().toString(36).slice(2)}`
    const mine = openDatabase(name)
    const other = openDatabase(name)
    await receiveBatches(mine, [batch(1, [1, 2])], 9)
    await settleInflow(other)
    expect(inflowOverlayOf(mine).size).toBe(2)
    expect(await spreadInflow(mine)).toBeNull()
    expect(inflowOverlayOf(mine).size).toBe(0)
    expect(await mine.states.get('demo:2')).toMatchObject({ status: 'open', updatedAt: 9 })
    mine.close()
    other.close()
  })

  it('waits while held and spreads once released', async () => {
    const db = freshDb()
    const spreader = startSpreader(db)
    spreaders.push(spreader)
    await spreader.idle()
    const release = spreader.hold()
    await receiveBatches(db, [batch(1, [1])], 9)
    spreader.wake()
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(await db.inflow.count()).toBe(1)
    release()
    await spreader.idle()
    expect(await db.inflow.count()).toBe(0)
    expect(await db.mentions.count()).toBe(1)
  })

  it('keeps the rows on a full disk, says so, and spreads them on retry', async () => {
    const db = freshDb()
    const fake = fakeClient({
      'delivery:pending': ({ afterSeq }: { afterSeq: number }) =>
        ok({
          journal: 'j',
          batches: [batch(1, [1, 2])].filter((b) => b.seq > afterSeq),
          more: false,
        }),
    })
    const full = new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    const spy = vi
      .spyOn(db.mentions, 'bulkPut')
      .mockRejectedValueOnce(
        Object.assign(new Error('aborted'), { name: 'AbortError', inner: full }),
      )
    const statuses: unknown[] = []
    const sync = startSync(db, fake.client, {
      onStatus: (status) => statuses.push(status),
      retryFullAfterMs: 60_000,
    })
    await sync.idle()
    expect(statuses).toEqual([{ kind: 'storage-full' }])
    // Received and acked: main may drop them, and the page still holds them.
    expect(fake.calls.filter((call) => call.name === 'delivery:ack')).toHaveLength(1)
    expect(await db.inflow.count()).toBe(1)
    expect(await db.mentions.get('demo:2')).toEqual(mention(2))
    spy.mockRestore()
    await sync.retry()
    await sync.idle()
    sync.stop()
    expect(statuses).toEqual([{ kind: 'storage-full' }, { kind: 'ok' }])
    expect(await db.inflow.count()).toBe(0)
    expect(await db.mentions.count()).toBe(2)
  })
})
