import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../src/renderer/src/db/database'
import { searchHistory } from '../../../../src/renderer/src/db/history-query'
import { ingestBatches } from '../../../../src/renderer/src/db/ingest'
import { versions } from '../../../../src/renderer/src/db/versions'
import { backlogIds, indexWholeBacklog } from '../../../../src/renderer/src/db/word-backlog'
import { mention } from '../fixtures'

const uniqueName = () => `earshot-v3-${Math.random().toString(36).slice(2)}`

const words = (db: ReturnType<typeof openDatabase>, query: string) =>
  searchHistory(db, { query, filters: {}, sort: 'time' }).then((result) => result.ids)

describe('the v3 upgrade: the word index for mentions stored before it', () => {
  it('indexes every mention a v2 database holds, more than one upgrade page of them', async () => {
    const name = uniqueName()
    const v2 = openDatabase(name, { versions: versions.slice(0, 2) })
    await v2.open()
    expect(v2.tables.map((table) => table.name)).not.toContain('search')
    // v2 ingest wrote mentions and states; 2,500 spans three upgrade pages.
    const stored = Array.from({ length: 2500 }, (_, n) =>
      mention(n + 1, { text: n === 1234 ? 'Crème brûlée was cold' : `Ordinary post ${n + 1}` }),
    )
    await v2.table('mentions').bulkPut(stored)
    await v2.table('states').bulkPut(
      stored.map((m) => ({
        id: m.id,
        status: 'open',
        updatedAt: 1,
        createdAt: m.createdAt,
        urgency: 1,
        directed: 1,
        intent: 'other',
        sentiment: 'neutral',
        sourceId: 'demo',
        platform: 'demo',
        authorId: m.author.id,
        urgent: 0,
      })),
    )
    v2.close()

    const db = openDatabase(name, { versions: versions.slice(0, 3) })
    await db.open()
    expect(db.verno).toBe(3)
    expect(await db.search.count()).toBe(2500)
    expect(await words(db, 'creme brulee ')).toEqual(['demo:1235'])
    expect(await words(db, '"ordinary post 2500"')).toEqual(['demo:2500'])
    // Nothing else moved: the states are as v2 left them.
    expect(await db.states.count()).toBe(2500)
    db.close()
  })

  it('takes a v1 database through v2 and v3 in one open, searchable at the end', async () => {
    const name = uniqueName()
    const v1 = openDatabase(name, { versions: versions.slice(0, 1) })
    await v1
      .table('mentions')
      .bulkPut([
        mention(1, { text: 'Naïve question about billing' }),
        mention(2, { text: 'Billing broke again', threadId: 'demo:1', replyTo: 'demo:1' }),
      ])
    await v1.table('states').bulkPut([
      { id: 'demo:1', status: 'open', updatedAt: 1, createdAt: mention(1).createdAt, urgency: 1 },
      {
        id: 'demo:2',
        status: 'done',
        updatedAt: 2,
        doneAt: 2,
        createdAt: mention(2).createdAt,
        urgency: 2,
      },
    ])
    v1.close()

    const db = openDatabase(name)
    await db.open()
    expect(await words(db, 'naive ')).toEqual(['demo:1'])
    expect(await words(db, 'billing ')).toEqual(['demo:2', 'demo:1'])
    expect(
      (await searchHistory(db, { query: 'billing', filters: { status: 'done' }, sort: 'time' }))
        .ids,
    ).toEqual(['demo:2'])
    // The new thread index covers the old rows.
    expect(await db.mentions.where('threadId').equals('demo:1').primaryKeys()).toEqual(['demo:2'])
    db.close()
  })

  it('a fresh database indexes what it stores, once the backlog is indexed', async () => {
    const db = openDatabase(uniqueName())
    await ingestBatches(db, [{ seq: 1, sourceId: 'demo', mentions: [mention(1)] }])
    expect(await backlogIds(db)).toEqual(['demo:1'])
    expect(await indexWholeBacklog(db)).toBe(1)
    expect(await backlogIds(db)).toEqual([])
    expect(await db.search.get('demo:1')).toEqual({
      id: 'demo:1',
      words: ['mention', 'number', '1', 'author', 'a1'],
      seq: 'mention number 1 author 1 a1',
      titleWords: 0,
    })
    db.close()
  })
})
