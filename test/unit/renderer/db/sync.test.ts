import { afterEach, describe, expect, it, vi } from 'vitest'
import { readLastSeq } from '../../../../src/renderer/src/db/database'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { startSync, type Sync, type SyncStatus } from '../../../../src/renderer/src/db/sync'
import { createConnectionWatch } from '../../../../src/renderer/src/host/connection'
import type { Batch } from '../../../../src/shared/domain'
import { err, ok } from '../../../../src/shared/result'
import { batch, fakeClient, freshDb } from '../fixtures'

const running: Sync[] = []
afterEach(() => running.splice(0).forEach((sync) => sync.stop()))

function setup(journal: Batch[], lastSeq = 0, page = Infinity) {
  const db = freshDb()
  const held = { id: 'journal-a', batches: journal }
  const fake = fakeClient({
    'delivery:pending': ({ afterSeq }: { afterSeq: number }) => {
      const later = held.batches
        .filter((entry) => entry.seq > afterSeq)
        .sort((a, b) => a.seq - b.seq)
      const batches = later.slice(0, page)
      return ok({ journal: held.id, batches, more: batches.length < later.length })
    },
  })
  const acks = () =>
    fake.calls
      .filter((call) => call.name === 'delivery:ack')
      .map((call) => (call.input as { seq: number }).seq)
  const pendingCalls = () =>
    fake.calls.filter((c) => c.name === 'delivery:pending').map((c) => c.input)
  const statuses: SyncStatus[] = []
  const connection = createConnectionWatch('connected')
  const start = async () => {
    if (lastSeq > 0) {
      await db.meta.bulkPut([
        { key: 'lastSeq', value: lastSeq },
        { key: 'journal', value: held.id },
      ])
    }
    const sync = startSync(db, fake.client, { connection, onStatus: (s) => statuses.push(s) })
    running.push(sync)
    await sync.idle()
    return sync
  }
  return { db, fake, held, acks, pendingCalls, statuses, connection, start }
}

describe('startSync', () => {
  it('catches up from lastSeq in one transaction, acking once it is stored', async () => {
    const t = setup([batch(3, [3]), batch(1, [1]), batch(2, [2])])
    await t.start()
    expect(t.pendingCalls()).toEqual([{ afterSeq: 0 }])
    expect(t.acks()).toEqual([3])
    expect(await t.db.mentions.count()).toBe(3)
    expect(await readLastSeq(t.db)).toBe(3)
  })

  it('marks how long each catch-up page took to arrive, for the benchmark', async () => {
    performance.clearMeasures('earshot:pending')
    const t = setup([batch(1, [1, 2]), batch(2, [3]), batch(3, [4])], 0, 2)
    await t.start()
    const entries = performance.getEntriesByName('earshot:pending', 'measure')
    expect(entries.map((e): unknown => (e as PerformanceMeasure).detail)).toEqual([
      { count: 3 },
      { count: 1 },
    ])
  })

  it('writes nothing to catch up when main keeps the journal it knew and holds nothing new', async () => {
    const t = setup([batch(1, [1])], 1)
    const transaction = vi.spyOn(t.db, 'transaction')
    await t.start()
    expect(t.pendingCalls()).toEqual([{ afterSeq: 1 }])
    expect(transaction.mock.calls.filter(([mode]) => mode === 'rw')).toEqual([])
    expect(await readLastSeq(t.db)).toBe(1)
  })

  it('asks only for what comes after the stored lastSeq', async () => {
    const t = setup([batch(4, [4]), batch(5, [5])], 3)
    await t.start()
    expect(t.pendingCalls()).toEqual([{ afterSeq: 3 }])
    expect(t.acks()).toEqual([5])
  })

  it('pages through a long catch-up, one ack per page', async () => {
    const t = setup(
      [1, 2, 3, 4, 5].map((n) => batch(n, [n])),
      0,
      2,
    )
    await t.start()
    expect(t.pendingCalls()).toEqual([{ afterSeq: 0 }, { afterSeq: 2 }, { afterSeq: 4 }])
    expect(t.acks()).toEqual([2, 4, 5])
    expect(await t.db.mentions.count()).toBe(5)
  })

  it('starts its numbering afresh when main names another journal, keeping the history', async () => {
    const t = setup([batch(1, [1]), batch(2, [2])])
    const sync = await t.start()
    sync.stop()
    // main now runs on a new data folder: its batches are numbered from 1 again
    t.held.id = 'journal-b'
    t.held.batches = [batch(1, [7])]
    running.push(startSync(t.db, t.fake.client))
    await running.at(-1)?.idle()
    expect(await t.db.mentions.count()).toBe(3)
    expect(await readLastSeq(t.db)).toBe(1)
  })

  it('stores pushed batches serially and skips (but acks) ones already stored', async () => {
    const t = setup([])
    const sync = await t.start()
    t.fake.emit('mentions:batch', batch(1, [1]))
    t.fake.emit('mentions:batch', batch(2, [2]))
    t.fake.emit('mentions:batch', batch(1, [1]))
    await sync.idle()
    expect(t.acks()).toEqual([1, 2, 1])
    expect(await t.db.mentions.count()).toBe(2)
    expect(await readLastSeq(t.db)).toBe(2)
  })

  it('catches up through delivery:pending when a pushed batch leaves a gap', async () => {
    const journal = [batch(1, [1])]
    const t = setup(journal)
    const sync = await t.start()
    journal.push(batch(2, [2]), batch(3, [3]))
    t.fake.emit('mentions:batch', batch(3, [3]))
    await sync.idle()
    expect(t.pendingCalls()).toEqual([{ afterSeq: 0 }, { afterSeq: 1 }])
    expect(t.acks()).toEqual([1, 3])
    expect(await t.db.mentions.count()).toBe(3)
  })

  it('catches up again after the link comes back', async () => {
    const journal = [batch(1, [1])]
    const t = setup(journal)
    const sync = await t.start()
    t.connection.set('reconnecting')
    journal.push(batch(2, [2]))
    t.connection.set('connected')
    await sync.idle()
    expect(t.pendingCalls()).toEqual([{ afterSeq: 0 }, { afterSeq: 1 }])
    expect(await readLastSeq(t.db)).toBe(2)
  })

  it('waits quietly when the link is down', async () => {
    const t = setup([])
    t.fake.handlers['delivery:pending'] = () => err('network', 'Lost the connection')
    await t.start()
    expect(t.statuses).toEqual([])
  })

  it('pauses on a full disk without acking, then resumes on retry with nothing lost', async () => {
    const t = setup([batch(1, [1]), batch(2, [2])])
    const full = new DOMException('The quota has been exceeded.', 'QuotaExceededError')
    const abort = Object.assign(new Error('Transaction aborted'), {
      name: 'AbortError',
      inner: full,
    })
    // The ingest's write: the page's inflow rows.
    const spy = vi.spyOn(t.db.inflow, 'bulkAdd').mockRejectedValueOnce(abort)
    const sync = await t.start()
    expect(t.statuses).toEqual([{ kind: 'storage-full' }])
    expect(t.acks()).toEqual([])
    expect(await t.db.mentions.count()).toBe(0)
    t.fake.emit('mentions:batch', batch(3, [3]))
    await sync.idle()
    expect(t.acks()).toEqual([])

    spy.mockRestore()
    await sync.retry()
    await sync.idle()
    expect(t.statuses).toEqual([{ kind: 'storage-full' }, { kind: 'ok' }])
    expect(t.acks()).toEqual([2])
    expect(await t.db.mentions.count()).toBe(2)
  })

  it('leaves state done by the responder alone when a batch is re-delivered', async () => {
    const t = setup([batch(1, [1])])
    const sync = await t.start()
    await t.db.states.update('demo:1', { status: 'done' })
    await ingestBatch(t.db, batch(1, [1]))
    t.fake.emit('mentions:batch', batch(1, [1]))
    await sync.idle()
    expect((await t.db.states.get('demo:1'))?.status).toBe('done')
  })
})
