import { Dexie } from 'dexie'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { searchHistory } from '../../../../src/renderer/src/db/history-query'
import { ingestBatch, ingestBatches } from '../../../../src/renderer/src/db/ingest'
import { loadMatches } from '../../../../src/renderer/src/db/queue-query'
import { searchDocFor } from '../../../../src/renderer/src/db/search-index'
import {
  backlogIds,
  indexBacklog,
  indexWholeBacklog,
  INDEX_CHUNK,
  holdWordIndexer,
  startWordIndexer,
  type WordIndexer,
} from '../../../../src/renderer/src/db/word-backlog'
import { batch, freshDb, mention } from '../fixtures'

const texts = [
  'Refund still missing after three weeks',
  'Late delivery again, refund please',
  'The app crashed during login',
  'Love the new dashboard',
]
const stored = texts.map((text, n) => mention(n + 1, { text, createdAt: 1_000 + n * 60_000 }))

const history = async (db: ReturnType<typeof freshDb>, query: string) => ({
  time: (await searchHistory(db, { query, filters: {}, sort: 'time' })).ids,
  relevance: (await searchHistory(db, { query, filters: {}, sort: 'relevance' })).ids,
})
const queue = async (db: ReturnType<typeof freshDb>, words: string) =>
  (await loadMatches(db, { view: 'all', sort: 'time', filters: { words } })).ids

const queries = [
  'refund ',
  'refu',
  '"late delivery" ',
  'login refund ',
  'weeks refund ',
  'nothing ',
]

let indexer: WordIndexer | undefined
afterEach(() => indexer?.stop())

describe('the word index, written after the ingest', () => {
  it('finds every stored mention before its word row is written, and the same after', async () => {
    const db = freshDb()
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: stored })
    expect(await db.search.count()).toBe(0)
    expect(await backlogIds(db)).toEqual(['demo:1', 'demo:2', 'demo:3', 'demo:4'])
    const before = await Promise.all(
      queries.map(async (q) => [await history(db, q), await queue(db, q)]),
    )
    expect(before[0]).toEqual([
      { time: ['demo:2', 'demo:1'], relevance: ['demo:2', 'demo:1'] },
      ['demo:2', 'demo:1'],
    ])
    expect(before[2]![1]).toEqual(['demo:2'])
    expect(before[3]![0]).toEqual({ time: [], relevance: [] })

    expect(await indexWholeBacklog(db)).toBe(4)
    expect(await backlogIds(db)).toEqual([])
    expect(await db.search.count()).toBe(4)
    const after = await Promise.all(
      queries.map(async (q) => [await history(db, q), await queue(db, q)]),
    )
    expect(after).toEqual(before)
  })

  it('keeps one backlog row per ingest, and a page stored again keeps every id', async () => {
    const db = freshDb()
    await ingestBatches(db, [batch(1, [1, 2]), batch(2, [3])])
    await ingestBatch(db, batch(3, [4]))
    const rows = await db.meta.where('key').startsWith('words:pending:').toArray()
    expect(rows.map((row) => row.value)).toEqual([['demo:1', 'demo:2', 'demo:3'], ['demo:4']])
    // The journal started its numbers again: the same key, and nothing waiting is forgotten.
    await ingestBatch(db, batch(3, [5]))
    expect(await backlogIds(db)).toEqual(['demo:1', 'demo:2', 'demo:3', 'demo:4', 'demo:5'])
  })

  it('indexes a large backlog row a chunk at a time, so an arriving ingest never waits long', async () => {
    const db = freshDb()
    const many = Array.from({ length: INDEX_CHUNK * 2 + 7 }, (_, n) => n + 1)
    await ingestBatch(db, batch(1, many))
    expect(await indexBacklog(db)).toBe(INDEX_CHUNK)
    expect(await db.search.count()).toBe(INDEX_CHUNK)
    // What is left waits, in order, and is still found by a search meanwhile.
    expect(await backlogIds(db)).toHaveLength(INDEX_CHUNK + 7)
    expect((await history(db, 'number ')).time).toHaveLength(many.length)
    expect(await indexBacklog(db)).toBe(INDEX_CHUNK)
    expect(await indexBacklog(db)).toBe(7)
    expect(await indexBacklog(db)).toBeNull()
    expect(await db.search.count()).toBe(many.length)
  })

  it('an aborted ingest leaves no backlog, so nothing is indexed that was not stored', async () => {
    const db = freshDb()
    vi.spyOn(db.mentions, 'bulkPut').mockRejectedValueOnce(new Error('disk full'))
    await expect(ingestBatch(db, batch(1, [1]))).rejects.toThrow('disk full')
    expect(await backlogIds(db)).toEqual([])
  })

  it('the page’s indexer writes the rows once ingest goes quiet, and picks up a left backlog', async () => {
    const db = freshDb()
    // Stored by a page that closed before indexing.
    await ingestBatch(db, batch(1, [1, 2]))
    indexer = startWordIndexer(db, { quietMs: 5 })
    await indexer.idle()
    expect(await backlogIds(db)).toEqual([])
    expect(await db.search.count()).toBe(2)
    await ingestBatch(db, batch(2, [3]))
    expect(await backlogIds(db)).toEqual(['demo:3'])
    await indexer.idle()
    expect(await backlogIds(db)).toEqual([])
    expect((await db.search.get('demo:3'))?.words).toContain('number')
  })

  it('starts no transaction while an ingest is under way, and catches up once it ends', async () => {
    const db = freshDb()
    await ingestBatch(db, batch(1, [1, 2]))
    // A catch-up page being stored: the indexer's quiet time runs out meanwhile.
    const release = holdWordIndexer(db)
    indexer = startWordIndexer(db, { quietMs: 1 })
    await new Promise((resolve) => setTimeout(resolve, 30))
    expect(await db.search.count()).toBe(0)
    expect(await backlogIds(db)).toEqual(['demo:1', 'demo:2'])
    // Its release is the only wake left: the start's ran out while held.
    release()
    await indexer.idle()
    expect(await backlogIds(db)).toEqual([])
    expect(await db.search.count()).toBe(2)
  })

  it('makes the rows from the mentions the page just stored, without reading them back', async () => {
    const db = freshDb()
    await ingestBatches(db, [batch(1, [1, 2]), batch(2, [3])])
    const reads = vi.spyOn(db.mentions, 'bulkGet')
    expect(await indexWholeBacklog(db)).toBe(3)
    expect(reads).not.toHaveBeenCalled()
    expect(await db.search.get('demo:2')).toEqual(searchDocFor(mention(2)))
  })

  it('writes a row from the stored content when the mention was rewritten during its ingest', async () => {
    const db = freshDb()
    // The rewrite is asked for while the page is being stored (just after the page's own write),
    // so it commits after it: as a correction or an import made at that moment would.
    const bulkPut = db.mentions.bulkPut.bind(db.mentions)
    let rewriting: Promise<unknown> = Promise.resolve()
    vi.spyOn(db.mentions, 'bulkPut').mockImplementationOnce((...args) => {
      const writing = bulkPut(...args)
      rewriting = Dexie.ignoreTransaction(() =>
        db.mentions.put({ ...stored[0]!, text: 'Parcel arrived crushed' }),
      )
      return writing
    })
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: [stored[0]!] })
    await rewriting
    expect((await db.mentions.get('demo:1'))?.text).toBe('Parcel arrived crushed')
    await indexWholeBacklog(db)
    const row = await db.search.get('demo:1')
    expect(row?.words).toContain('crushed')
    expect(row?.words).not.toContain('refund')
  })

  it('writes a row from the stored content when something rewrote the mention since', async () => {
    const db = freshDb()
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: [stored[0]!] })
    // As a correction or an import would: the held copy is no longer what is stored.
    await db.mentions.put({ ...stored[0]!, text: 'Parcel arrived crushed' })
    await indexWholeBacklog(db)
    const row = await db.search.get('demo:1')
    expect(row?.words).toContain('crushed')
    expect(row?.words).not.toContain('refund')
    expect((await history(db, 'crushed ')).time).toEqual(['demo:1'])
  })
})
