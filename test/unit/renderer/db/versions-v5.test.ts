import { describe, expect, it } from 'vitest'
import { setStatus } from '../../../../src/renderer/src/db/actions'
import { openDatabase } from '../../../../src/renderer/src/db/database'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import {
  countByAuthor,
  countUnhandledUrgent,
  loadMatches,
  loadQueueWindow,
  loadViewCounts,
  queuePosition,
} from '../../../../src/renderer/src/db/queue-query'
import { stateFor } from '../../../../src/renderer/src/db/state-keys'
import { stateMirrorOf } from '../../../../src/renderer/src/db/state-mirror'
import { latestVersion } from '../../../../src/renderer/src/db/versions'
import { mostUrgentMentionId } from '../../../../src/renderer/src/features/alerts/reveal-mention'
import { leftAtVersion, mention, spreadMentions } from '../fixtures'

const uniqueName = () => `earshot-v5-${Math.random().toString(36).slice(2)}`

const stored = spreadMentions(40)
const decided = stored.map((m, n) =>
  stateFor(m, {
    status: n % 7 === 0 ? 'done' : m.triage.directed ? 'open' : 'monitor',
    updatedAt: m.createdAt,
  }),
)

const byUrgency = (ids: string[]) =>
  [...ids].sort((a, b) => {
    const [x, y] = [decided.find((s) => s.id === a)!, decided.find((s) => s.id === b)!]
    return y.urgency - x.urgency || y.createdAt - x.createdAt || (a < b ? 1 : -1)
  })

describe('the v4 → v5 upgrade: the urgency-ordered state indexes go, the views stay', () => {
  it('keeps every mention and decision and answers every view in both orders', async () => {
    const name = uniqueName()
    await leftAtVersion(name, 4, { mentions: stored, states: decided })

    const db = openDatabase(name)
    await db.open()
    // Through v5 and on to the latest (v6 makes the view indexes sparse: versions-v6.test.ts).
    expect(db.verno).toBe(latestVersion())
    const indexes = db.states.schema.indexes.map((index) => index.name)
    expect(indexes).toEqual([
      'createdAt',
      '[status+createdAt]',
      '[inbox+createdAt]',
      '[urgent+createdAt]',
      '[authorId+createdAt]',
      'snoozedUntil',
    ])
    // The upgrade really dropped them from IndexedDB, not only from Dexie's view of the schema.
    const idb = db.backendDB()
    const names = [...idb.transaction('states').objectStore('states').indexNames]
    expect(names).not.toContain('[urgency+createdAt]')
    expect(names).not.toContain('[urgent+urgency+createdAt]')
    expect(await db.states.toArray()).toEqual(
      expect.arrayContaining(decided.map((state): unknown => expect.objectContaining(state))),
    )

    const inbox = decided.filter((s) => s.status === 'open' && s.directed === 1).map((s) => s.id)
    const urgent = decided.filter((s) => s.urgent === 1).map((s) => s.id)
    const window = async (view: 'inbox' | 'urgent' | 'all', sort: 'time' | 'urgency') =>
      (await loadQueueWindow(db, { view, sort }, 0, 100)).rows.map((row) => row.mention.id)
    const newest = (ids: string[]) => [...ids].reverse()
    // Before the mirror has loaded: read off the time indexes, the urgency order sorted here.
    const mirror = stateMirrorOf(db)
    expect(mirror.ready).toBe(false)
    expect(await window('inbox', 'time')).toEqual(newest(inbox))
    expect(await window('inbox', 'urgency')).toEqual(byUrgency(inbox))
    expect(await window('urgent', 'urgency')).toEqual(byUrgency(urgent))
    expect(await window('all', 'urgency')).toEqual(byUrgency(decided.map((s) => s.id)))
    const negative = { view: 'all', sort: 'urgency', filters: { urgencyAtLeast: 50 } } as const
    const strong = decided.filter((s) => s.urgency >= 50).map((s) => s.id)
    expect((await loadMatches(db, negative)).ids).toEqual(byUrgency(strong))
    const top = byUrgency(urgent)[0]!
    expect(await mostUrgentMentionId({ db })).toBe(top)
    expect(await queuePosition(db, 'urgent', 'urgency', byUrgency(urgent)[3]!)).toBe(3)
    expect(await queuePosition(db, 'inbox', 'urgency', 'demo:0')).toBe(-1)

    // Once it has loaded, the same answers from memory.
    await mirror.start()
    expect(await window('urgent', 'urgency')).toEqual(byUrgency(urgent))
    expect(await mostUrgentMentionId({ db })).toBe(top)
    expect(await queuePosition(db, 'all', 'urgency', top)).toBe(0)
    expect(await loadViewCounts(db)).toMatchObject({
      inbox: inbox.length,
      urgent: urgent.length,
      all: 40,
    })
    expect(await countUnhandledUrgent(db)).toBe(urgent.length)
    expect(await countByAuthor(db, stored[0]!.author.id)).toBeGreaterThan(0)

    // Ingest and the responder's changes still write through the remaining indexes.
    const late = mention(99, {
      createdAt: 9_000_000,
      triage: { ...mention(99).triage, urgency: 100, directed: true },
    })
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: [late] })
    expect(await mostUrgentMentionId({ db })).toBe('demo:99')
    expect((await window('inbox', 'time'))[0]).toBe('demo:99')
    await setStatus(db, 'demo:99', 'done')
    expect(await window('urgent', 'urgency')).toEqual(byUrgency(urgent))
    db.close()
  })
})
