import { describe, expect, it } from 'vitest'
import { setStatus } from '../../../../src/renderer/src/db/actions'
import { openDatabase, type ResponderState } from '../../../../src/renderer/src/db/database'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import {
  countUnhandledUrgent,
  loadQueueWindow,
  loadViewCounts,
  queuePosition,
} from '../../../../src/renderer/src/db/queue-query'
import { stateFor } from '../../../../src/renderer/src/db/state-keys'
import { stateMirrorOf } from '../../../../src/renderer/src/db/state-mirror'
import { latestVersion } from '../../../../src/renderer/src/db/versions'
import { URGENT_AT } from '../../../../src/shared/domain'
import { leftAtVersion, mention, spreadMentions } from '../fixtures'

const uniqueName = () => `earshot-v6-${Math.random().toString(36).slice(2)}`

/** More than one upgrade page. */
const stored = spreadMentions(1200)

/** The states as v5 wrote them: `urgent` 0 or 1 on every row, no `inbox`. */
const v5States = stored.map((m, n) => {
  const status =
    n % 7 === 0 ? 'done' : n % 11 === 0 ? 'waiting' : m.triage.directed ? 'open' : 'monitor'
  const state: Record<string, unknown> = { ...stateFor(m, { status, updatedAt: m.createdAt }) }
  delete state.inbox
  state.urgent =
    (status === 'open' || status === 'monitor') && m.triage.urgency >= URGENT_AT ? 1 : 0
  return state as unknown as ResponderState & { urgent: 0 | 1 }
})

const inboxIds = v5States.filter((s) => s.status === 'open' && s.directed === 1).map((s) => s.id)
const urgentIds = v5States.filter((s) => s.urgent === 1).map((s) => s.id)
const newestFirst = (ids: string[]) => [...ids].reverse()

describe('the v5 → v6 upgrade: Inbox and Urgent get sparse indexes', () => {
  it('keeps every state in its views, with the view keys only where they are true', async () => {
    const name = uniqueName()
    await leftAtVersion(name, 5, { mentions: stored, states: v5States })

    const db = openDatabase(name)
    await db.open()
    expect(db.verno).toBe(latestVersion())
    const idb = db.backendDB()
    const names = [...idb.transaction('states').objectStore('states').indexNames]
    expect(names).toContain('[inbox+createdAt]')
    expect(names).not.toContain('[status+directed+createdAt]')

    // `inbox` marks exactly the Inbox; `urgent` is 1 exactly on the Urgent ones. Only the Inbox's
    // states were rewritten: the others keep what v5 wrote, `urgent: 0` included.
    const states = await db.states.toArray()
    expect(states).toHaveLength(1200)
    expect(states.filter((s) => s.urgent === 1).map((s) => s.id)).toEqual(
      expect.arrayContaining(urgentIds),
    )
    expect(states.filter((s) => s.urgent === 1)).toHaveLength(urgentIds.length)
    expect(states.filter((s) => s.inbox === 1).map((s) => s.id)).toEqual(
      expect.arrayContaining(inboxIds),
    )
    expect(states.filter((s) => s.inbox === 1)).toHaveLength(inboxIds.length)
    const byId = new Map(states.map((s) => [s.id, s]))
    const inbox = new Set(inboxIds)
    for (const old of v5States) {
      const { urgent, ...rest } = old
      // Nothing else on a state moved.
      expect(byId.get(old.id)).toMatchObject(rest)
      if (inbox.has(old.id)) expect(byId.get(old.id)?.urgent).toBe(urgent === 1 ? 1 : undefined)
      else expect(byId.get(old.id)).toEqual(old)
    }
    // The views' index ranges hold exactly their states.
    expect(await db.states.where('[urgent+createdAt]').between([1], [1, []]).count()).toBe(
      urgentIds.length,
    )
    expect(await db.states.where('[inbox+createdAt]').between([0], [2]).count()).toBe(
      inboxIds.length,
    )

    // Before the mirror has loaded, every view, count and position is read off those indexes.
    expect(stateMirrorOf(db).ready).toBe(false)
    const window = async (view: 'inbox' | 'urgent') =>
      (await loadQueueWindow(db, { view, sort: 'time' }, 0, 2000)).rows.map((r) => r.mention.id)
    expect(await window('inbox')).toEqual(newestFirst(inboxIds))
    expect(await window('urgent')).toEqual(newestFirst(urgentIds))
    expect(await loadViewCounts(db)).toMatchObject({
      inbox: inboxIds.length,
      urgent: urgentIds.length,
      all: 1200,
    })
    expect(await countUnhandledUrgent(db)).toBe(urgentIds.length)
    expect(await queuePosition(db, 'inbox', 'time', inboxIds.at(-3)!)).toBe(2)
    expect(await queuePosition(db, 'inbox', 'time', 'demo:0')).toBe(-1)
    db.close()
  })

  it('moves a state in and out of the sparse indexes as its status changes', async () => {
    const db = openDatabase(uniqueName())
    const urgentDirected = mention(1, {
      createdAt: 5_000_000,
      triage: { ...mention(1).triage, urgency: 100, directed: true },
    })
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: [urgentDirected] })
    expect(await db.states.get('demo:1')).toMatchObject({ inbox: 1, urgent: 1 })
    expect(await countUnhandledUrgent(db)).toBe(1)

    await setStatus(db, 'demo:1', 'done')
    const done = (await db.states.get('demo:1'))!
    expect(done).not.toHaveProperty('inbox')
    expect(done).not.toHaveProperty('urgent')
    expect(await loadViewCounts(db)).toMatchObject({ inbox: 0, urgent: 0, done: 1 })

    await setStatus(db, 'demo:1', 'open')
    expect(await loadViewCounts(db)).toMatchObject({ inbox: 1, urgent: 1, done: 0 })
    db.close()
  })
})
