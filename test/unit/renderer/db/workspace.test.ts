import { describe, expect, it, vi } from 'vitest'
import type { Mention } from '../../../../src/shared/domain'
import {
  applyChange,
  loadTimeline,
  nextWake,
  setStatus,
  wakeSnoozed,
} from '../../../../src/renderer/src/db/actions'
import type { EarshotDb } from '../../../../src/renderer/src/db/database'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import {
  countByAuthor,
  loadMatches,
  loadQueueWindow,
  loadViewCounts,
  WORDS_WINDOW,
  type QueueFilters,
  type QueueSpec,
} from '../../../../src/renderer/src/db/queue-query'
import { stateMirrorOf } from '../../../../src/renderer/src/db/state-mirror'
import { indexWholeBacklog } from '../../../../src/renderer/src/db/word-backlog'
import { freshDb, mention } from '../fixtures'

const HOUR = 3_600_000

/** A small, varied history: who, where, what, how urgent. */
function varied(): Mention[] {
  const make = (n: number, patch: Partial<Mention['triage']>, extra: Partial<Mention> = {}) => {
    const base = mention(n, extra)
    return { ...base, triage: { ...base.triage, ...patch } }
  }
  return [
    make(
      1,
      { directed: true, urgency: 95, intent: 'complaint' },
      { text: 'Charged twice, refund now' },
    ),
    make(
      2,
      { directed: true, urgency: 20, intent: 'question' },
      { text: 'How do I export my data?' },
    ),
    make(3, { directed: false, urgency: 80, intent: 'complaint' }, { text: 'Acme outage again' }),
    make(
      4,
      { directed: false, urgency: 10, intent: 'praise' },
      {
        text: 'Acme support was lovely',
        sourceId: 'rss-1',
        platform: 'rss',
      },
    ),
    make(
      5,
      {
        directed: true,
        urgency: 40,
        intent: 'idea',
        sentiment: { score: 2, comparative: 0.5, label: 'positive', words: ['+love'] },
      },
      { text: 'Please add a dark mode, would love it' },
    ),
  ]
}

async function seeded(): Promise<EarshotDb> {
  const db = freshDb()
  await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: varied() })
  return db
}

const shown = async (db: EarshotDb, spec: Partial<QueueSpec> & { filters?: QueueFilters }) => {
  const full: QueueSpec = { view: 'all', sort: 'time', filters: {}, ...spec }
  const { ids } = await loadMatches(db, full)
  return ids
}

describe('saved views', () => {
  it('puts directed mentions in Inbox, overheard ones in Watching, urgent ones of both in Urgent', async () => {
    const db = await seeded()
    expect(await loadViewCounts(db)).toEqual({
      inbox: 3,
      urgent: 2,
      watching: 2,
      waiting: 0,
      snoozed: 0,
      done: 0,
      all: 5,
    })
    const urgent = await loadQueueWindow(db, { view: 'urgent', sort: 'urgency' }, 0, 10)
    expect(urgent.rows.map((row) => row.mention.id)).toEqual(['demo:1', 'demo:3'])
  })

  it('moves mentions between views as the responder acts, and the counts follow', async () => {
    const db = await seeded()
    await applyChange(db, ['demo:1'], { kind: 'route', department: 'PR' }, 100)
    await applyChange(db, ['demo:2'], { kind: 'snooze', until: 100 + HOUR }, 100)
    await applyChange(db, ['demo:3'], { kind: 'status', status: 'done' }, 100)
    await applyChange(db, ['demo:4'], { kind: 'status', status: 'spam' }, 100)
    expect(await loadViewCounts(db)).toEqual({
      inbox: 1,
      urgent: 0,
      watching: 0,
      waiting: 1,
      snoozed: 1,
      done: 1,
      all: 5,
    })
    expect(await db.states.get('demo:1')).toMatchObject({ status: 'waiting', department: 'PR' })
  })
})

describe('filters', () => {
  it('narrow a view by intent, source, directed, sentiment, urgency and department', async () => {
    const db = await seeded()
    await applyChange(db, ['demo:2'], { kind: 'route', department: 'product' }, 100)
    expect(await shown(db, { filters: { intent: 'complaint' } })).toEqual(['demo:3', 'demo:1'])
    expect(await shown(db, { filters: { sourceId: 'rss-1' } })).toEqual(['demo:4'])
    expect(await shown(db, { filters: { directed: false } })).toEqual(['demo:4', 'demo:3'])
    expect(await shown(db, { filters: { sentiment: 'positive' } })).toEqual(['demo:5'])
    expect(await shown(db, { filters: { urgencyAtLeast: 40 }, sort: 'urgency' })).toEqual([
      'demo:1',
      'demo:3',
      'demo:5',
    ])
    expect(await shown(db, { filters: { department: 'product' } })).toEqual(['demo:2'])
    expect(await shown(db, { view: 'inbox', filters: { intent: 'complaint' } })).toEqual(['demo:1'])
    expect(await shown(db, { filters: { status: 'waiting' } })).toEqual(['demo:2'])
  })

  it('narrow by a date range, in both sorts', async () => {
    const db = await seeded()
    const [from, to] = [mention(2).createdAt, mention(4).createdAt]
    expect(await shown(db, { filters: { from, to } })).toEqual(['demo:4', 'demo:3', 'demo:2'])
    expect(await shown(db, { filters: { from, to }, sort: 'urgency' })).toEqual([
      'demo:3',
      'demo:2',
      'demo:4',
    ])
  })

  it('find an author on any source, and count their mentions', async () => {
    const db = freshDb()
    const sameAuthor = { id: 'x:ana', name: 'Ana', handle: '@ana' }
    await ingestBatch(db, {
      seq: 1,
      sourceId: 'demo',
      mentions: [
        mention(2, { author: sameAuthor }),
        mention(4, { author: sameAuthor, sourceId: 'rss-1', platform: 'rss' }),
        mention(6),
      ],
    })
    expect(await shown(db, { filters: { authorId: 'x:ana' } })).toEqual(['demo:4', 'demo:2'])
    expect(await shown(db, { view: 'done', filters: { authorId: 'x:ana' } })).toEqual([])
    expect(await countByAuthor(db, 'x:ana')).toBe(2)
  })

  it('match every word in the title, text or author, ignoring case', async () => {
    const db = await seeded()
    expect(await shown(db, { filters: { words: 'ACME' } })).toEqual(['demo:4', 'demo:3'])
    expect(await shown(db, { filters: { words: 'acme lovely' } })).toEqual(['demo:4'])
    expect(await shown(db, { filters: { words: 'author 1' } })).toEqual(['demo:1'])
    expect(await shown(db, { filters: { words: 'nothing-like-this' } })).toEqual([])
  })

  it('find words anywhere in a view through the word index, and check phrases on the text', async () => {
    const db = freshDb()
    const many = Array.from({ length: WORDS_WINDOW + 3 }, (_, n) =>
      mention(n, {
        text:
          n === 0
            ? 'the oldest says needle in a haystack'
            : n === 1
              ? 'a haystack holds no needle'
              : `filler ${n}`,
      }),
    )
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: many })
    // demo:0 is the oldest, past the newest WORDS_WINDOW: the word index still finds it.
    const needle = await loadMatches(db, {
      view: 'all',
      sort: 'time',
      filters: { words: 'needle' },
    })
    expect(needle).toEqual({ ids: ['demo:1', 'demo:0'], truncated: false })
    // Accents and case folded, the last word as a prefix, as in History.
    const folded = await loadMatches(db, {
      view: 'all',
      sort: 'time',
      filters: { words: 'NÉEDLE hay' },
    })
    expect(folded.ids).toEqual(['demo:1', 'demo:0'])
    // A quoted phrase needs its words side by side, in order.
    const phrase = await loadMatches(db, {
      view: 'all',
      sort: 'time',
      filters: { words: '"needle in a haystack"' },
    })
    expect(phrase).toEqual({ ids: ['demo:0'], truncated: false })
    // Once the word rows are written, phrases are checked on them: no mention is read.
    await indexWholeBacklog(db)
    const reads = vi.spyOn(db.mentions, 'bulkGet')
    expect(
      await loadMatches(db, { view: 'all', sort: 'time', filters: { words: '"a haystack"' } }),
    ).toEqual({ ids: ['demo:1', 'demo:0'], truncated: false })
    expect(
      await loadMatches(db, { view: 'all', sort: 'time', filters: { words: '"haystack holds"' } }),
    ).toEqual({ ids: ['demo:1'], truncated: false })
    expect(reads).not.toHaveBeenCalled()
  })

  it('answer words with the states in memory once the mirror has loaded, the same as without', async () => {
    const db = freshDb()
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: varied() })
    const mirror = stateMirrorOf(db)
    await mirror.start()
    for (const words of ['acme', 'acme lovely', 'refund', 'author']) {
      const spec: QueueSpec = { view: 'all', sort: 'urgency', filters: { words, directed: false } }
      expect(await loadMatches(db, spec, mirror)).toEqual(await loadMatches(db, spec))
    }
  })
})

describe('bulk actions and the audit log', () => {
  it('change every selected mention and write one action each, in one transaction', async () => {
    const db = await seeded()
    const written = await applyChange(
      db,
      ['demo:1', 'demo:2', 'demo:5'],
      {
        kind: 'status',
        status: 'done',
      },
      500,
    )
    expect(written.map((state) => state.id)).toEqual(['demo:1', 'demo:2', 'demo:5'])
    expect((await loadViewCounts(db)).inbox).toBe(0)
    const log = await db.actions.toArray()
    expect(
      log.map((row) => [row.mentionId, row.kind, row.at, row.detail.from, row.detail.to]),
    ).toEqual([
      ['demo:1', 'status', 500, 'open', 'done'],
      ['demo:2', 'status', 500, 'open', 'done'],
      ['demo:5', 'status', 500, 'open', 'done'],
    ])
    expect(log[0]?.authorId).toBe('demo:author-1')
  })

  it('write nothing at all when one write fails', async () => {
    const db = await seeded()
    // The audit row of the second mention cannot be written, after the states were put.
    db.actions.hook('creating', (_key, row) => {
      if (row.mentionId === 'demo:5') throw new Error('disk trouble')
    })
    await expect(
      applyChange(db, ['demo:1', 'demo:5'], { kind: 'status', status: 'spam' }, 9),
    ).rejects.toThrow()
    expect((await db.states.get('demo:1'))?.status).toBe('open')
    expect(await db.actions.count()).toBe(0)
  })

  it('route, snooze, watch and spam each leave their own line in the timeline', async () => {
    const db = await seeded()
    await applyChange(db, ['demo:1'], { kind: 'route', department: 'customer service' }, 1)
    await applyChange(db, ['demo:1'], { kind: 'snooze', until: 10 * HOUR }, 2)
    await applyChange(db, ['demo:1'], { kind: 'status', status: 'monitor' }, 3)
    await applyChange(db, ['demo:1'], { kind: 'status', status: 'spam' }, 4)
    // Asking for the status it already has changes nothing and logs nothing.
    await applyChange(db, ['demo:1'], { kind: 'status', status: 'spam' }, 5)
    const timeline = await loadTimeline(db, 'demo:1')
    expect(timeline.map((row) => [row.at, row.kind, row.detail.text])).toEqual([
      [1, 'route', 'Routed to customer service'],
      [2, 'snooze', expect.stringMatching(/^Snoozed until /)],
      [3, 'status', 'Snoozed → Watching'],
      [4, 'status', 'Watching → Spam'],
    ])
    expect(await loadTimeline(db, 'demo:2')).toEqual([])
  })

  it('setStatus toggles done through the same log', async () => {
    const db = await seeded()
    await setStatus(db, 'demo:2', 'toggle', 1)
    await setStatus(db, 'demo:2', 'toggle', 2)
    const timeline = await loadTimeline(db, 'demo:2')
    expect(timeline.map((row) => row.detail.text)).toEqual(['Open → Done', 'Done → Open'])
  })
})

describe('snoozes', () => {
  it('wake when due: directed back to Inbox, overheard back to Watching, each logged', async () => {
    const db = await seeded()
    await applyChange(db, ['demo:1', 'demo:3'], { kind: 'snooze', until: 1000 }, 10)
    await applyChange(db, ['demo:2'], { kind: 'snooze', until: 5000 }, 10)
    expect(await nextWake(db)).toBe(1000)
    expect(await wakeSnoozed(db, 999)).toBe(0)
    expect(await wakeSnoozed(db, 1000)).toBe(2)
    expect((await db.states.get('demo:1'))?.status).toBe('open')
    expect((await db.states.get('demo:3'))?.status).toBe('monitor')
    expect(await db.states.get('demo:1')).not.toHaveProperty('snoozedUntil')
    expect((await db.states.get('demo:2'))?.status).toBe('snoozed')
    expect(await nextWake(db)).toBe(5000)
    const timeline = await loadTimeline(db, 'demo:3')
    expect(timeline.at(-1)?.detail.text).toBe('Snooze ended → Watching')
    expect((await loadViewCounts(db)).snoozed).toBe(1)
  })
})
