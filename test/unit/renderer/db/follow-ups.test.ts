import { describe, expect, it } from 'vitest'
import { applyChange, loadTimeline, setStatus } from '../../../../src/renderer/src/db/actions'
import {
  claimDueFollowUps,
  followUpAtFor,
  isFollowUpDue,
  nextFollowUp,
} from '../../../../src/renderer/src/db/follow-ups'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { raiseDueFollowUps } from '../../../../src/renderer/src/features/alerts/use-follow-up-reminders'
import { recordHandoff } from '../../../../src/renderer/src/features/compose/record-reply'
import { createEarshotStore } from '../../../../src/renderer/src/store/store'
import { ok } from '../../../../src/shared/result'
import { fakeClient, freshDb, mention } from '../fixtures'

const HOUR = 3_600_000
const NOW = 1_800_000_000_000

async function handedOff(followUpAt = NOW + 4 * HOUR) {
  const db = freshDb()
  const shown = mention(2, { author: { id: 'demo:vera', name: 'Vera', handle: '@vera' } })
  await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: [shown, mention(4)] })
  await recordHandoff(db, shown.id, 'PR', followUpAt, 'webhook', NOW)
  return { db, shown }
}

describe('follow-up reminders', () => {
  it('falls due at the follow-up time, once, with a line in the timeline', async () => {
    const { db, shown } = await handedOff()
    expect(await nextFollowUp(db)).toBe(NOW + 4 * HOUR)
    expect(await claimDueFollowUps(db, NOW + 4 * HOUR - 1)).toEqual([])

    const due = await claimDueFollowUps(db, NOW + 4 * HOUR)
    expect(due.map((d) => [d.mention.id, d.department])).toEqual([[shown.id, 'PR']])
    expect(await claimDueFollowUps(db, NOW + 5 * HOUR)).toEqual([])
    expect(await nextFollowUp(db)).toBeNull()

    const state = await db.states.get(shown.id)
    expect([state?.status, state?.remindedAt]).toEqual(['waiting', NOW + 4 * HOUR])
    expect(isFollowUpDue(state, NOW + 4 * HOUR)).toBe(true)
    expect((await loadTimeline(db, shown.id)).at(-1)?.detail.text).toBe(
      'Follow-up due: still waiting on PR',
    )
  })

  it('keeps the follow-up through a re-delivery and drops it when the loop is closed', async () => {
    const { db, shown } = await handedOff()
    await ingestBatch(db, { seq: 2, sourceId: 'demo', mentions: [shown] }, NOW + 1)
    expect((await db.states.get(shown.id))?.followUpAt).toBe(NOW + 4 * HOUR)
    await setStatus(db, shown.id, 'done', NOW + 2)
    const state = await db.states.get(shown.id)
    expect([state?.followUpAt, isFollowUpDue(state, NOW + 9 * HOUR)]).toEqual([undefined, false])
    expect(await claimDueFollowUps(db, NOW + 9 * HOUR)).toEqual([])
  })

  it('gives a mention routed from the queue its department’s follow-up time', async () => {
    const db = freshDb()
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: [mention(1), mention(3)] })
    const departments = [{ name: 'Product', followUpHours: 72 }]
    const followUpAt = followUpAtFor(departments, 'Product', NOW)
    expect(followUpAt).toBe(NOW + 72 * HOUR)
    expect(followUpAtFor(departments, 'Legal', NOW)).toBe(NOW + 24 * HOUR)
    await applyChange(
      db,
      ['demo:1', 'demo:3'],
      { kind: 'route', department: 'Product', followUpAt },
      NOW,
    )
    expect(await nextFollowUp(db)).toBe(followUpAt)
    expect((await loadTimeline(db, 'demo:1'))[0]?.detail.until).toBe(followUpAt)
    expect((await claimDueFollowUps(db, followUpAt)).length).toBe(2)
  })

  it('reads the follow-up of a hand-off recorded before follow-ups lived on the state', async () => {
    const { db, shown } = await handedOff()
    const legacy = (await db.states.get(shown.id))!
    delete legacy.followUpAt
    await db.states.put(legacy)
    expect((await claimDueFollowUps(db, NOW + 4 * HOUR)).map((d) => d.followUpAt)).toEqual([
      NOW + 4 * HOUR,
    ])
  })

  it('asks main to notify, and toasts in the page when main holds the reminder', async () => {
    const { db, shown } = await handedOff()
    const store = createEarshotStore()
    const held = fakeClient({ 'alerts:remind': () => ok({ notified: false }) })
    await raiseDueFollowUps({ client: held.client, db, store }, NOW + 5 * HOUR)
    const call = held.calls.find((c) => c.name === 'alerts:remind')
    expect(call?.input).toEqual({
      mentionId: shown.id,
      title: 'Follow up with PR',
      body: 'Vera: Mention number 2',
    })
    expect(store.getState().toasts.map((t) => [t.title, t.mentionId])).toEqual([
      ['Follow up with PR', shown.id],
    ])
  })

  it('leaves the toast to main when main shows the notification', async () => {
    const { db } = await handedOff()
    const store = createEarshotStore()
    const shown = fakeClient({ 'alerts:remind': () => ok({ notified: true }) })
    await raiseDueFollowUps({ client: shown.client, db, store }, NOW + 5 * HOUR)
    expect(shown.calls.filter((c) => c.name === 'alerts:remind')).toHaveLength(1)
    expect(store.getState().toasts).toEqual([])
  })
})
