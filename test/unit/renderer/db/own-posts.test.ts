import { describe, expect, it } from 'vitest'
import { markAnsweredElsewhere } from '../../../../src/renderer/src/db/answered-elsewhere'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { inView, VIEW_IDS } from '../../../../src/renderer/src/db/queue-query'
import { brandAccountCheck } from '../../../../src/shared/brand-account'
import type { Mention } from '../../../../src/shared/domain'
import { freshDb, mention } from '../fixtures'

/*
 * The brand's own posts (its replies and announcements heard back through a source, which triage
 * marks `own`) are kept on the record but are no one's work: no view but All shows them.
 */

const isBrand = brandAccountCheck({
  handles: [{ platform: 'mastodon', handle: '@acme@example.social' }],
})

const post = (n: number, own: boolean, over: Partial<Mention> = {}): Mention => {
  const base = mention(n)
  return mention(n, {
    id: `mastodon:https://example.social/statuses/${n}`,
    platform: 'mastodon',
    author: own
      ? { id: 'mastodon:acme@example.social', name: 'Acme', handle: '@acme@example.social' }
      : { id: 'mastodon:ana@example.social', name: 'Ana', handle: '@ana@example.social' },
    // Urgent-looking and directed words, which must not put the brand's own post in a queue.
    triage: { ...base.triage, urgency: own ? 0 : 95, directed: !own, ...(own ? { own } : {}) },
    ...over,
  })
}

describe("the brand's own posts", () => {
  it('land apart from every working view, shown under All only', async () => {
    const db = freshDb()
    const own = post(1, true)
    const customer = post(2, false)
    await ingestBatch(db, { seq: 1, sourceId: 'masto', mentions: [own, customer] })
    const ownState = (await db.states.get(own.id))!
    expect(ownState.status).toBe('own')
    // In no view's sparse index: neither key is stored.
    expect(ownState).not.toHaveProperty('urgent')
    expect(ownState).not.toHaveProperty('inbox')
    expect(VIEW_IDS.filter((view) => inView(ownState, view))).toEqual(['all'])
    const customerState = (await db.states.get(customer.id))!
    expect(VIEW_IDS.filter((view) => inView(customerState, view))).toEqual([
      'inbox',
      'urgent',
      'all',
    ])
  })

  it('answering one of them (the brand continuing its own thread) closes nothing', async () => {
    const db = freshDb()
    const announcement = post(1, true)
    const followUp = post(2, true, { replyTo: announcement.id })
    await ingestBatch(db, { seq: 1, sourceId: 'masto', mentions: [announcement, followUp] })
    expect(await markAnsweredElsewhere(db, [announcement, followUp], isBrand, 99)).toEqual([])
    expect((await db.states.get(announcement.id))?.status).toBe('own')
    expect(await db.actions.count()).toBe(0)
  })
})
