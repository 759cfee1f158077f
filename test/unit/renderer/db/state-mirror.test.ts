import { describe, expect, it } from 'vitest'
import type { Mention } from '../../../../src/shared/domain'
import { applyChange, setStatus } from '../../../../src/renderer/src/db/actions'
import { ingestBatch, ingestBatches } from '../../../../src/renderer/src/db/ingest'
import {
  loadMatches,
  loadQueueWindow,
  matchesInMemory,
  VIEW_IDS,
  type QueueFilters,
  type QueueSpec,
} from '../../../../src/renderer/src/db/queue-query'
import { stateMirrorOf } from '../../../../src/renderer/src/db/state-mirror'
import type { EarshotDb, ResponderState } from '../../../../src/renderer/src/db/database'
import { freshDb, mention } from '../fixtures'

/** Every state the database holds, by id, to compare the mirror against. */
async function stored(db: EarshotDb): Promise<Map<string, ResponderState>> {
  return new Map((await db.states.toArray()).map((state) => [state.id, state]))
}

const mirrored = (db: EarshotDb) =>
  new Map([...stateMirrorOf(db).all()].map((state) => [state.id, state]))

/** A history where every filter the queue offers selects something and leaves something out. */
function history(count: number): Mention[] {
  const intents = ['complaint', 'question', 'praise', 'idea', 'other'] as const
  const labels = ['negative', 'neutral', 'positive'] as const
  return Array.from({ length: count }, (_, n) => {
    const base = mention(n, {
      sourceId: n % 3 === 0 ? 'rss-1' : 'demo',
      // Ties on createdAt, so the order of ids inside a tie is checked too.
      createdAt: 1_700_000_000_000 + Math.floor(n / 3) * 60_000,
    })
    return {
      ...base,
      triage: {
        ...base.triage,
        intent: intents[n % intents.length]!,
        sentiment: { ...base.triage.sentiment, label: labels[(n * 7) % 3]! },
        urgency: (n * 37) % 101,
        directed: n % 4 !== 1,
      },
    }
  })
}

describe('the state mirror', () => {
  it('holds every stored state once loaded, and follows ingest and the responder after', async () => {
    const db = freshDb()
    await ingestBatches(db, [{ seq: 1, sourceId: 'demo', mentions: history(120) }])
    const mirror = stateMirrorOf(db)
    expect(mirror.ready).toBe(false)
    await mirror.start()
    expect(mirror.ready).toBe(true)
    expect(mirrored(db)).toEqual(await stored(db))

    const before = mirror.version()
    await ingestBatch(db, { seq: 2, sourceId: 'demo', mentions: [mention(500)] })
    await setStatus(db, 'demo:3', 'done')
    await applyChange(db, ['demo:4', 'demo:5'], { kind: 'route', department: 'PR' })
    expect(mirror.version()).toBeGreaterThan(before)
    expect(mirror.get('demo:500')?.status).toBeDefined()
    expect(mirror.get('demo:3')?.status).toBe('done')
    expect(mirror.get('demo:4')?.department).toBe('PR')
    expect(mirrored(db)).toEqual(await stored(db))
  })

  it('keeps a re-delivered mention’s decision, as the database does', async () => {
    const db = freshDb()
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: [mention(2)] })
    await stateMirrorOf(db).start()
    await setStatus(db, 'demo:2', 'done')
    // The same mention again, with new content: the bulkAdd meets the existing state.
    const again = { ...mention(2), text: 'Edited' }
    await ingestBatch(db, { seq: 2, sourceId: 'demo', mentions: [again, mention(4)] })
    expect(stateMirrorOf(db).get('demo:2')?.status).toBe('done')
    expect(mirrored(db)).toEqual(await stored(db))
  })

  it('applies nothing from a transaction that failed', async () => {
    const db = freshDb()
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: [mention(2)] })
    const mirror = stateMirrorOf(db)
    await mirror.start()
    await expect(
      db.transaction('rw', db.states, async () => {
        await db.states.put({ ...mirror.get('demo:2')!, status: 'spam' })
        throw new Error('the disk is full')
      }),
    ).rejects.toThrow('the disk is full')
    expect(mirror.get('demo:2')?.status).toBe('open')
  })

  it('reloads after the table is cleared and refilled (a restore)', async () => {
    const db = freshDb()
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: history(10) })
    const mirror = stateMirrorOf(db)
    await mirror.start()
    const kept = (await db.states.toArray()).slice(0, 4)
    await db.transaction('rw', db.states, async () => {
      await db.states.clear()
      await db.states.bulkPut(kept)
    })
    await mirror.start()
    expect(mirrored(db)).toEqual(await stored(db))
    expect(mirrored(db).size).toBe(4)
  })

  it('keeps writes made while it loads', async () => {
    const db = freshDb()
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: history(30) })
    const mirror = stateMirrorOf(db)
    const loading = mirror.start()
    await setStatus(db, 'demo:6', 'spam')
    await loading
    expect(mirror.get('demo:6')?.status).toBe('spam')
    expect(mirrored(db)).toEqual(await stored(db))
  })
})

describe('filters answered from memory', () => {
  const filterSets: QueueFilters[] = [
    { sentiment: 'negative' },
    { intent: 'complaint', directed: true },
    { sourceId: 'rss-1', urgencyAtLeast: 50 },
    { department: 'PR' },
    { status: 'done' },
    { authorId: 'demo:author-3' },
    { from: 1_700_000_000_000 + 10 * 60_000, to: 1_700_000_000_000 + 40 * 60_000 },
    { sentiment: 'positive', intent: 'praise', directed: false },
  ]

  it('match IndexedDB’s answer, in the same order, for every view, sort and filter', async () => {
    const db = freshDb()
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: history(240) })
    await applyChange(db, ['demo:1', 'demo:7', 'demo:12'], { kind: 'route', department: 'PR' })
    await setStatus(db, 'demo:9', 'done')
    await setStatus(db, 'demo:15', 'done')
    const mirror = stateMirrorOf(db)
    await mirror.start()
    let compared = 0
    for (const view of VIEW_IDS) {
      for (const sort of ['time', 'urgency'] as const) {
        for (const filters of filterSets) {
          const spec: QueueSpec = { view, sort, filters }
          const fromDisk = await loadMatches(db, spec)
          expect(matchesInMemory(mirror, spec), JSON.stringify(spec)).toEqual(fromDisk)
          compared += fromDisk.ids.length
        }
      }
    }
    // The comparison covered real rows, not empty lists.
    expect(compared).toBeGreaterThan(1000)
  })

  it('leave word searches to IndexedDB, and answer nothing before the mirror has loaded', async () => {
    const db = freshDb()
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: history(20) })
    const mirror = stateMirrorOf(db)
    const spec: QueueSpec = { view: 'all', sort: 'time', filters: { sentiment: 'negative' } }
    expect(matchesInMemory(mirror, spec)).toBeNull()
    await mirror.start()
    expect(matchesInMemory(mirror, spec)?.ids.length).toBeGreaterThan(0)
    expect(matchesInMemory(mirror, { ...spec, filters: { words: 'number' } })).toBeNull()
  })

  it('follow a change at once: a mention marked done leaves the filtered Inbox', async () => {
    const db = freshDb()
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: history(40) })
    const mirror = stateMirrorOf(db)
    await mirror.start()
    const spec: QueueSpec = { view: 'inbox', sort: 'time', filters: { intent: 'complaint' } }
    const first = matchesInMemory(mirror, spec)!.ids[0]!
    await setStatus(db, first, 'done')
    expect(matchesInMemory(mirror, spec)!.ids).not.toContain(first)
    expect(matchesInMemory(mirror, spec)).toEqual(await loadMatches(db, spec))
  })

  it('gives a window the states the mirror holds, with the responder’s latest change', async () => {
    const db = freshDb()
    await ingestBatches(db, [{ seq: 1, sourceId: 'demo', mentions: history(60) }])
    const mirror = stateMirrorOf(db)
    await mirror.start()
    await setStatus(db, 'demo:3', 'done')
    await applyChange(db, ['demo:4'], { kind: 'route', department: 'PR' })
    const spec = { view: 'all', sort: 'time' } as const
    const fromMemory = await loadQueueWindow(db, spec, 0, 60, undefined, mirror)
    const fromDisk = await loadQueueWindow(db, spec, 0, 60)
    expect(fromMemory).toEqual(fromDisk)
    const byId = new Map(fromMemory.rows.map((row) => [row.mention.id, row.state]))
    expect(byId.get('demo:3')?.status).toBe('done')
    expect(byId.get('demo:4')?.department).toBe('PR')
  })
})
