import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../src/renderer/src/db/database'
import { loadQueueWindow, loadViewCounts } from '../../../../src/renderer/src/db/queue-query'
import { latestVersion, versions } from '../../../../src/renderer/src/db/versions'
import { mention } from '../fixtures'

const uniqueName = () => `earshot-migrate-${Math.random().toString(36).slice(2)}`

describe('schema versions', () => {
  it('is an append-only list numbered 1, 2, ...', () => {
    expect(versions.map((entry) => entry.version)).toEqual(
      Array.from({ length: versions.length }, (_, index) => index + 1),
    )
    expect(latestVersion()).toBe(versions.length)
  })

  it('v1 is unchanged: the indexes its queue views read', async () => {
    const db = openDatabase(uniqueName(), { versions: versions.slice(0, 1) })
    await db.open()
    const indexes = (table: string) => db.table(table).schema.indexes.map((index) => index.name)
    expect(indexes('mentions')).toEqual([])
    expect(indexes('states')).toEqual([
      'createdAt',
      '[urgency+createdAt]',
      '[status+createdAt]',
      '[status+urgency+createdAt]',
    ])
    expect(db.table('meta').schema.primKey.keyPath).toBe('key')
    db.close()
  })

  it('v2 indexes every saved view and the audit log', async () => {
    const db = openDatabase(uniqueName(), { versions: versions.slice(0, 2) })
    await db.open()
    const indexes = (table: string) => db.table(table).schema.indexes.map((index) => index.name)
    expect(indexes('states')).toEqual(
      expect.arrayContaining([
        '[status+directed+createdAt]',
        '[status+directed+urgency+createdAt]',
        '[urgent+createdAt]',
        '[urgent+urgency+createdAt]',
        '[authorId+createdAt]',
        'snoozedUntil',
      ]),
    )
    expect(indexes('actions')).toEqual(['[mentionId+at]', '[authorId+at]'])
    expect(db.table('actions').schema.primKey.auto).toBe(true)
    db.close()
  })
})

describe('the v1 → v2 upgrade', () => {
  it('keeps every mention and decision, fills the copied keys, and watches untouched overheard ones', async () => {
    const name = uniqueName()
    // A v1 database as Earshot 0.1 wrote it: content, open/done states, meta.
    const v1 = openDatabase(name, { versions: versions.slice(0, 1) })
    const urgentOverheard = mention(3, {
      triage: { ...mention(3).triage, urgency: 91, intent: 'complaint', directed: false },
    })
    const mentions = [mention(1), mention(2), urgentOverheard, mention(4), mention(5)]
    await v1.table('mentions').bulkPut(mentions)
    await v1.table('states').bulkPut([
      {
        id: 'demo:1',
        status: 'open',
        updatedAt: 7,
        createdAt: mentions[0]!.createdAt,
        urgency: 13,
      },
      {
        id: 'demo:2',
        status: 'open',
        updatedAt: 7,
        createdAt: mentions[1]!.createdAt,
        urgency: 26,
      },
      {
        id: 'demo:3',
        status: 'open',
        updatedAt: 7,
        createdAt: mentions[2]!.createdAt,
        urgency: 91,
      },
      {
        id: 'demo:4',
        status: 'done',
        updatedAt: 9,
        doneAt: 9,
        createdAt: mentions[3]!.createdAt,
        urgency: 52,
      },
      { id: 'demo:5', status: 'done', updatedAt: 9, doneAt: 9, createdAt: 1, urgency: 65 },
      // A state whose mention is gone (never shown anywhere): dropped by the upgrade.
      { id: 'demo:gone', status: 'open', updatedAt: 1, createdAt: 1, urgency: 1 },
    ])
    await v1.table('meta').put({ key: 'lastSeq', value: 12 })
    v1.close()

    const db = openDatabase(name)
    await db.open()
    expect(db.verno).toBe(latestVersion())
    expect(await db.mentions.count()).toBe(5)
    expect(await db.meta.get('lastSeq')).toEqual({ key: 'lastSeq', value: 12 })
    expect(await db.states.get('demo:gone')).toBeUndefined()
    // Directed and open: stays open, now with its filter keys.
    expect(await db.states.get('demo:2')).toEqual({
      id: 'demo:2',
      status: 'open',
      updatedAt: 7,
      createdAt: mentions[1]!.createdAt,
      urgency: 26,
      directed: 1,
      intent: 'other',
      sentiment: 'negative',
      sourceId: 'demo',
      platform: 'demo',
      authorId: 'demo:author-2',
      inbox: 1,
    })
    // Overheard and untouched: Watching; the urgent one still shows in Urgent.
    expect((await db.states.get('demo:1'))?.status).toBe('monitor')
    expect(await db.states.get('demo:3')).toMatchObject({
      status: 'monitor',
      urgent: 1,
      intent: 'complaint',
    })
    // Done stays done with its time, overheard or not; keys come from the mention.
    expect(await db.states.get('demo:5')).toMatchObject({
      status: 'done',
      doneAt: 9,
      createdAt: mentions[4]!.createdAt,
      urgency: mentions[4]!.triage.urgency,
    })
    expect(await loadViewCounts(db)).toEqual({
      inbox: 1,
      urgent: 1,
      watching: 2,
      waiting: 0,
      snoozed: 0,
      done: 2,
      all: 5,
    })
    const inbox = await loadQueueWindow(db, { view: 'inbox', sort: 'time' }, 0, 10)
    expect(inbox.rows.map((row) => row.mention.id)).toEqual(['demo:2'])
    // The upgrade itself is not something the responder did: no audit rows.
    expect(await db.actions.count()).toBe(0)
    db.close()
  })
})
