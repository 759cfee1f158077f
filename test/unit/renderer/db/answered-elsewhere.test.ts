import { describe, expect, it } from 'vitest'
import { applyChange, loadTimeline, setStatus } from '../../../../src/renderer/src/db/actions'
import {
  elsewhereReplies,
  markAnsweredElsewhere,
} from '../../../../src/renderer/src/db/answered-elsewhere'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { startSync } from '../../../../src/renderer/src/db/sync'
import { noteBrandReplies } from '../../../../src/renderer/src/features/context/brand-replies'
import { recordHandoff } from '../../../../src/renderer/src/features/compose/record-reply'
import { brandAccountCheck } from '../../../../src/shared/brand-account'
import type { Mention } from '../../../../src/shared/domain'
import { ok } from '../../../../src/shared/result'
import { fakeClient, freshDb, mention } from '../fixtures'

const profile = {
  brand: 'Acme',
  handles: [{ platform: 'mastodon' as const, handle: '@acme@example.social' }],
  products: [],
  competitors: [],
  excluded: [],
}
const isBrand = brandAccountCheck(profile)
const NOW = 1_800_000_000_000

/** A directed Mastodon complaint, and the brand's own answer to it posted outside Earshot. */
function complaint(n: number): Mention {
  return mention(n, {
    id: `mastodon:https://example.social/users/ana/statuses/${n}`,
    platform: 'mastodon',
    sourceId: 'masto',
    author: { id: 'mastodon:ana@example.social', name: 'Ana', handle: '@ana@example.social' },
    triage: { ...mention(n).triage, directed: true },
  })
}
function brandReply(to: Mention, n: number, handle = '@acme'): Mention {
  return mention(n, {
    id: `mastodon:https://example.social/users/acme/statuses/${n}`,
    platform: 'mastodon',
    sourceId: 'masto',
    url: `https://example.social/@acme/${n}`,
    author: {
      id: `mastodon:${handle.slice(1)}`,
      name: 'Acme',
      handle,
      url: 'https://example.social/@acme',
    },
    text: 'So sorry Ana, we have refunded you.',
    replyTo: to.id,
    createdAt: to.createdAt + 60_000,
  })
}

describe('answered elsewhere', () => {
  it('moves a mention the brand answered on the platform to Done, with the reply in its log', async () => {
    const db = freshDb()
    const asked = complaint(1)
    await ingestBatch(db, { seq: 1, sourceId: 'masto', mentions: [asked] })
    const answer = brandReply(asked, 2)
    await ingestBatch(db, { seq: 2, sourceId: 'masto', mentions: [answer] })

    expect(await markAnsweredElsewhere(db, [answer], isBrand, NOW)).toEqual([asked.id])

    const state = await db.states.get(asked.id)
    expect([state?.status, state?.doneAt]).toEqual(['done', NOW])
    const [row] = await loadTimeline(db, asked.id)
    expect(row?.detail.text).toBe('Answered elsewhere by @acme')
    expect(row?.kind).toBe('reply')
    expect(await elsewhereReplies(db, asked.id)).toEqual([
      {
        id: answer.id,
        handle: '@acme',
        text: 'So sorry Ana, we have refunded you.',
        at: answer.createdAt,
        url: 'https://example.social/@acme/2',
      },
    ])
  })

  it('ignores replies by other people and posts that reply to nothing stored', async () => {
    const db = freshDb()
    const asked = complaint(1)
    await ingestBatch(db, { seq: 1, sourceId: 'masto', mentions: [asked] })
    const stranger = brandReply(asked, 2, '@acme@other.example')
    const elsewhere = { ...brandReply(asked, 3), replyTo: 'mastodon:never-stored' }
    expect(await markAnsweredElsewhere(db, [stranger, elsewhere], isBrand, NOW)).toEqual([])
    expect((await db.states.get(asked.id))?.status).toBe('open')
    expect(await loadTimeline(db, asked.id)).toEqual([])
  })

  it('records a reply once, even after the responder reopens the mention', async () => {
    const db = freshDb()
    const asked = complaint(1)
    const answer = brandReply(asked, 2)
    await ingestBatch(db, { seq: 1, sourceId: 'masto', mentions: [asked] })
    await markAnsweredElsewhere(db, [answer], isBrand, NOW)
    await setStatus(db, asked.id, 'open', NOW + 1)
    expect(await markAnsweredElsewhere(db, [answer], isBrand, NOW + 2)).toEqual([])
    expect((await db.states.get(asked.id))?.status).toBe('open')
    expect((await elsewhereReplies(db, asked.id)).length).toBe(1)
  })

  it('leaves a mention the responder already closed alone (its own reply coming back)', async () => {
    const db = freshDb()
    const asked = complaint(1)
    await ingestBatch(db, { seq: 1, sourceId: 'masto', mentions: [asked] })
    await applyChange(db, [asked.id], { kind: 'status', status: 'spam' }, NOW - 5)
    expect(await markAnsweredElsewhere(db, [brandReply(asked, 2)], isBrand, NOW)).toEqual([])
    expect((await db.states.get(asked.id))?.status).toBe('spam')
  })

  it('closes a mention waiting on a department and drops its follow-up', async () => {
    const db = freshDb()
    const asked = complaint(1)
    await ingestBatch(db, { seq: 1, sourceId: 'masto', mentions: [asked] })
    await recordHandoff(db, asked.id, 'PR', NOW + 3_600_000, 'copy', NOW - 10)
    expect((await db.states.get(asked.id))?.followUpAt).toBe(NOW + 3_600_000)
    await markAnsweredElsewhere(db, [brandReply(asked, 2)], isBrand, NOW)
    const state = await db.states.get(asked.id)
    expect([state?.status, state?.department, state?.followUpAt]).toEqual(['done', 'PR', undefined])
  })

  it('runs after sync stores a page: the poller hearing the brand reply marks the mention', async () => {
    const db = freshDb()
    const asked = complaint(1)
    await ingestBatch(db, { seq: 1, sourceId: 'masto', mentions: [asked] })
    const { client, emit, calls } = fakeClient({
      'delivery:pending': () => ok({ journal: 'j', batches: [], more: false }),
      'profile:get': () => ok(profile),
    })
    await db.meta.put({ key: 'journal', value: 'j' })
    const sync = startSync(db, client, {
      afterStore: (mentions) => noteBrandReplies({ client, db }, mentions),
    })
    await sync.idle()
    emit('mentions:batch', { seq: 2, sourceId: 'masto', mentions: [brandReply(asked, 2)] })
    await sync.idle()
    sync.stop()
    expect((await db.states.get(asked.id))?.status).toBe('done')
    // Its notification stops repeating, and the page was still acked.
    expect(calls.filter((c) => c.name === 'alerts:acknowledge').map((c) => c.input)).toEqual([
      { mentionId: asked.id },
    ])
    expect(calls.some((c) => c.name === 'delivery:ack')).toBe(true)
  })

  it('matches a brand reply stored before the mention it answers, when the mention arrives', async () => {
    const db = freshDb()
    const asked = complaint(1)
    const { client, calls } = fakeClient({ 'profile:get': () => ok(profile) })
    const early = [brandReply(asked, 2)]
    await ingestBatch(db, { seq: 1, sourceId: 'masto', mentions: early })
    expect(await noteBrandReplies({ client, db }, early)).toEqual([])
    const late = [asked, complaint(3)]
    await ingestBatch(db, { seq: 2, sourceId: 'masto', mentions: late })
    expect(await noteBrandReplies({ client, db }, late)).toEqual([asked.id])
    expect((await db.states.get(asked.id))?.status).toBe('done')
    expect((await db.states.get(complaint(3).id))?.status).toBe('open')
    expect((await elsewhereReplies(db, asked.id)).map((r) => r.id)).toEqual([early[0]?.id])
    expect(calls.filter((c) => c.name === 'alerts:acknowledge').map((c) => c.input)).toEqual([
      { mentionId: asked.id },
    ])
  })

  it('never asks for the profile for pages where nothing replies to anything', async () => {
    const db = freshDb()
    const { client, calls } = fakeClient({ 'profile:get': () => ok(profile) })
    expect(await noteBrandReplies({ client, db }, [complaint(1), complaint(2)])).toEqual([])
    expect(calls).toEqual([])
  })
})
