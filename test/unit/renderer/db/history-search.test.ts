import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { EarshotDb } from '../../../../src/renderer/src/db/database'
import { applyChange } from '../../../../src/renderer/src/db/actions'
import {
  loadAuthor,
  loadThread,
  relevance,
  scoreOf,
  searchHistory,
  type HistorySpec,
} from '../../../../src/renderer/src/db/history-query'
import { ingestBatches } from '../../../../src/renderer/src/db/ingest'
import {
  fold,
  parseQuery,
  rankTextOfDoc,
  searchDocFor,
} from '../../../../src/renderer/src/db/search-index'
import { stateMirrorOf } from '../../../../src/renderer/src/db/state-mirror'
import { indexWholeBacklog } from '../../../../src/renderer/src/db/word-backlog'
import type { Mention } from '../../../../src/shared/domain'
import { freshDb, mention } from '../fixtures'

const HOUR = 3_600_000
const T0 = 1_700_000_000_000

/** A small fixed history: the words, authors, sources and times each test leans on. */
function fixedSet(): Mention[] {
  const make = (n: number, text: string, over: Partial<Mention> = {}): Mention =>
    mention(n, { text, createdAt: T0 + n * HOUR, fetchedAt: T0 + n * HOUR, ...over })
  return [
    make(1, 'My refund is late, refund refund please'),
    make(2, 'Where is my refund?'),
    make(3, 'The late delivery ruined the party'),
    make(4, 'Delivery was late again'),
    make(5, 'Le café était délicieux à Zürich', { author: { id: 'rss:x#Zoé', name: 'Zoé' } }),
    make(6, 'Refunding takes ages', {
      sourceId: 'hn-acme',
      platform: 'hn',
      triage: { ...mention(6).triage, intent: 'complaint' },
    }),
    make(7, 'Unrelated praise for the app', {
      triage: { ...mention(7).triage, intent: 'praise' },
    }),
    make(8, 'Reply: still waiting for the refund', { replyTo: 'demo:2', threadId: 'demo:2' }),
  ]
}

const spec = (query: string, over: Partial<HistorySpec> = {}): HistorySpec => ({
  query,
  filters: {},
  sort: 'time',
  ...over,
})

let db: EarshotDb
beforeEach(async () => {
  db = freshDb()
  await ingestBatches(db, [{ seq: 1, sourceId: 'demo', mentions: fixedSet() }], T0)
  // Their word rows written, as the page's indexer does in its quiet time (word-backlog.ts).
  await indexWholeBacklog(db)
})

const ids = async (query: string, over: Partial<HistorySpec> = {}) =>
  (await searchHistory(db, spec(query, over))).ids

describe('folding and parsing', () => {
  it('folds diacritics, compatibility forms and case', () => {
    expect(fold('Café ZÜRICH ﬁne')).toBe('cafe zurich fine')
  })

  it('reads words, quoted phrases and the last word as a prefix', () => {
    expect(parseQuery('refund "late delivery" caf')).toEqual({
      words: ['refund', 'late', 'delivery'],
      prefix: 'caf',
      phrases: [['late', 'delivery']],
    })
    // A trailing space closes the last word.
    expect(parseQuery('refund ').prefix).toBeNull()
  })
})

describe('searching the history', () => {
  it('finds every mention holding all the words, newest first by time', async () => {
    expect(await ids('late delivery ')).toEqual(['demo:4', 'demo:3'])
    expect(await ids('refund please ')).toEqual(['demo:1'])
  })

  it('matches a quoted phrase only with the words side by side, in order', async () => {
    expect(await ids('"late delivery"')).toEqual(['demo:3'])
  })

  it('matches the last word as a prefix while typing', async () => {
    expect(await ids('refun')).toEqual(['demo:8', 'demo:6', 'demo:2', 'demo:1'])
    expect(await ids('refund ')).toEqual(['demo:8', 'demo:2', 'demo:1'])
  })

  it('ignores diacritics both ways', async () => {
    expect(await ids('cafe zurich ')).toEqual(['demo:5'])
    expect(await ids('DÉLICIEUX ')).toEqual(['demo:5'])
    expect(await ids('zoe ')).toEqual(['demo:5'])
  })

  it('finds nothing when one word is absent', async () => {
    expect(await ids('refund banana ')).toEqual([])
  })

  it('ranks by relevance: repeats and words side by side first, then newest', async () => {
    expect(await ids('refund ', { sort: 'relevance' })).toEqual(['demo:1', 'demo:8', 'demo:2'])
    expect(await ids('late delivery ', { sort: 'relevance' })).toEqual(['demo:3', 'demo:4'])
  })

  it('narrows by source, intent, author, date range and status', async () => {
    expect(await ids('refun', { filters: { sourceId: 'hn-acme' } })).toEqual(['demo:6'])
    expect(await ids('', { filters: { intent: 'praise' } })).toEqual(['demo:7'])
    expect(await ids('', { filters: { authorId: 'rss:x#Zoé' } })).toEqual(['demo:5'])
    expect(await ids('refun', { filters: { from: T0 + 2 * HOUR, to: T0 + 6 * HOUR } })).toEqual([
      'demo:6',
      'demo:2',
    ])
    await applyChange(db, ['demo:2'], { kind: 'status', status: 'done' })
    expect(await ids('refund ', { filters: { status: 'done' } })).toEqual(['demo:2'])
    expect(await ids('', { filters: { status: 'done' } })).toEqual(['demo:2'])
  })

  it('re-delivery replaces the words of a mention', async () => {
    await ingestBatches(db, [
      { seq: 2, sourceId: 'demo', mentions: [{ ...fixedSet()[1]!, text: 'Thanks, sorted now' }] },
    ])
    // Before its new word row is written, its stale one is overruled; after, the same answers.
    for (const indexed of [false, true]) {
      if (indexed) expect(await indexWholeBacklog(db)).toBe(1)
      expect(await ids('refund ')).toEqual(['demo:8', 'demo:1'])
      expect(await ids('sorted ')).toEqual(['demo:2'])
    }
  })
})

describe('ranking from the word rows', () => {
  /** Queries that exercise every part of the score: repeats, titles, prefixes, phrases. */
  const queries = [
    'refund ',
    'refun',
    'late delivery ',
    'late deli',
    '"late delivery" ',
    'cafe zur',
    'CAFÉ ',
    'thread refund ',
    'σοφος ',
    'my refund "refund please"',
    'zoe ',
  ]
  const titled = (): Mention[] => [
    ...fixedSet(),
    mention(9, { title: 'Refund thread', text: 'refund late delivery, refund again' }),
    mention(10, { title: 'ΣΟΦΟΣ Café', text: 'Σοφος said the café in Zürich was late' }),
    mention(11, { title: 'Deliveries', text: 'late deliveries and a refund' }),
  ]

  it('scores a mention the same from its word row as from its text', () => {
    for (const item of titled()) {
      const text = rankTextOfDoc(searchDocFor(item))!
      for (const query of queries) {
        const parsed = parseQuery(query)
        expect(scoreOf(text, parsed), `${item.id} for ${query}`).toBe(relevance(item, parsed))
      }
    }
  })

  it('ranks without reading a single mention', async () => {
    await ingestBatches(db, [{ seq: 2, sourceId: 'demo', mentions: titled().slice(8) }], T0)
    await indexWholeBacklog(db)
    const read = vi.spyOn(db.mentions, 'bulkGet')
    expect(await ids('refund ', { sort: 'relevance' })).toEqual([
      'demo:9',
      'demo:1',
      'demo:8',
      'demo:2',
      // As many hits as the two before it, and older.
      'demo:11',
    ])
    expect(await ids('"late delivery" ', { sort: 'relevance' })).toEqual(['demo:3', 'demo:9'])
    expect(read).not.toHaveBeenCalled()
  })

  it('finds and ranks rows written before they carried their words in order, by the mentions', async () => {
    await ingestBatches(db, [{ seq: 2, sourceId: 'demo', mentions: titled().slice(8) }], T0)
    const specs = queries.flatMap((query) =>
      (['relevance', 'time'] as const).map((sort) => spec(query, { sort })),
    )
    await indexWholeBacklog(db)
    const before = await Promise.all(specs.map((one) => searchHistory(db, one)))
    expect(before.some((result) => result.ids.length > 1)).toBe(true)
    // As an earlier Earshot wrote them: the words alone.
    const rows = await db.search.toArray()
    await db.search.bulkPut(rows.map(({ id, words }) => ({ id, words })))
    const after = await Promise.all(specs.map((one) => searchHistory(db, one)))
    expect(after).toEqual(before)
  })

  it('reads the states from the loaded mirror and follows the responder', async () => {
    const mirror = stateMirrorOf(db)
    await mirror.start()
    const bySpec = async (query: string, over: Partial<HistorySpec> = {}) =>
      (await searchHistory(db, spec(query, over), mirror)).ids
    const states = vi.spyOn(db.states, 'bulkGet')
    expect(await bySpec('refun', { filters: { from: T0 + 2 * HOUR, to: T0 + 6 * HOUR } })).toEqual([
      'demo:6',
      'demo:2',
    ])
    expect(await bySpec('refund ', { filters: { status: 'done' } })).toEqual([])
    expect(states).not.toHaveBeenCalled()
    await applyChange(db, ['demo:2'], { kind: 'status', status: 'done' })
    expect(await bySpec('refund ', { filters: { status: 'done' } })).toEqual(['demo:2'])
  })
})

describe('searching beyond the first probe', () => {
  // 700 mentions: "common" in all, "often" in every second, "rare" in three, "zest…" in five.
  beforeEach(async () => {
    const many = Array.from({ length: 700 }, (_, n) =>
      mention(100 + n, {
        text: [
          'common',
          n % 2 === 0 ? 'often' : 'seldom',
          [7, 350, 699].includes(n) ? 'rare' : '',
          n % 140 === 0 ? `zest${n}` : '',
        ].join(' '),
        createdAt: T0 + (100 + n) * HOUR,
      }),
    )
    await ingestBatches(db, [{ seq: 2, sourceId: 'demo', mentions: many }], T0)
    await indexWholeBacklog(db)
  })

  it('seeds from a rare word beside words in hundreds of mentions', async () => {
    expect(await ids('common often rare ')).toEqual(['demo:450'])
    expect(await ids('common rare ', { sort: 'relevance' })).toHaveLength(3)
    expect(await ids('often zes')).toEqual([
      'demo:660',
      'demo:520',
      'demo:380',
      'demo:240',
      'demo:100',
    ])
  })

  it('reads a rare word’s rows in one range to check and rank, not one read per match', async () => {
    const single = vi.spyOn(db.search, 'bulkGet')
    expect(await ids('common often rare ', { sort: 'relevance' })).toEqual(['demo:450'])
    expect(await ids('common zes', { sort: 'relevance' })).toHaveLength(5)
    expect(await ids('"common often" rare ', { sort: 'time' })).toEqual(['demo:450'])
    expect(single).not.toHaveBeenCalled()
  })

  it('intersects whole key ranges when every word is common', async () => {
    const found = await ids('common often ')
    expect(found).toHaveLength(350)
    expect(found[0]).toBe('demo:798')
    expect(await ids('often seldom ')).toEqual([])
  })
})

describe('author and thread pages', () => {
  it('lists an author across sources with the responder actions', async () => {
    await applyChange(db, ['demo:5'], { kind: 'status', status: 'done' })
    const page = await loadAuthor(db, 'rss:x#Zoé')
    expect(page.ids).toEqual(['demo:5'])
    expect(page.actions.map((action) => action.detail.to)).toEqual(['done'])
  })

  it('gathers a thread by thread id and replyTo, oldest first', async () => {
    expect((await loadThread(db, 'demo:8')).map((m) => m.id)).toEqual(['demo:2', 'demo:8'])
    expect((await loadThread(db, 'demo:2')).map((m) => m.id)).toEqual(['demo:2', 'demo:8'])
  })
})
