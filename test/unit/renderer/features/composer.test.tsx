import { afterEach, describe, expect, it } from 'vitest'
import { ContextPanel } from '../../../../src/renderer/src/features/context/ContextPanel'
import { useRecordSentReplies } from '../../../../src/renderer/src/features/compose/use-outbox'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { loadTimeline } from '../../../../src/renderer/src/db/actions'
import type { SourceView } from '../../../../src/shared/domain'
import type { ReplyRecord } from '../../../../src/shared/replies'
import { ok } from '../../../../src/shared/result'
import { mention } from '../fixtures'
import { button, click, render, settle, testServices, type, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const view = (canReply: boolean, kind: 'mastodon' | 'rss' = 'mastodon'): SourceView => ({
  config:
    kind === 'mastodon'
      ? {
          id: 'masto',
          kind: 'mastodon',
          name: 'Acme on mastodon.example',
          instance: 'https://mastodon.example',
          hashtags: [],
          paused: false,
          createdAt: 0,
          intervalSec: 60,
        }
      : {
          id: 'masto',
          kind: 'rss',
          name: 'Blog',
          url: 'https://blog.example/feed',
          paused: false,
          createdAt: 0,
          intervalSec: 900,
        },
  health: {
    state: 'waiting',
    lastSuccessAt: null,
    lastErrorAt: null,
    lastError: null,
    itemsTotal: 0,
    nextCheckAt: null,
    consecutiveFailures: 0,
  },
  canReply,
})

function Recorder() {
  useRecordSentReplies()
  return null
}

async function composerFor(canReply = true, kind: 'mastodon' | 'rss' = 'mastodon') {
  const t = testServices({
    'profile:get': () =>
      ok({ brand: 'Acme', handles: [], products: [], competitors: [], excluded: [] }),
    'replies:send': (input: { clientId: string; text: string }) =>
      ok(record(input.clientId, 'queued', input.text)),
    'replies:resolve': () => ok(null),
    'shell:openExternal': () => ok({ openedBy: 'page' as const }),
  })
  const shown = mention(2, {
    sourceId: 'masto',
    platform: kind,
    author: { id: 'mastodon:@erin', name: 'Erin', handle: '@erin' },
    text: '@acme my order never came',
  })
  await ingestBatch(t.services.db, { seq: 1, sourceId: 'masto', mentions: [shown] })
  t.services.store.getState().setSources([view(canReply, kind)])
  t.services.store.getState().select(shown.id)
  const rendered = await render(
    <>
      <Recorder />
      <ContextPanel />
    </>,
    t.services,
  )
  cleanup = rendered.unmount
  const panel = await waitFor(() => {
    const found = rendered.container.querySelector<HTMLElement>('[aria-label="Reply"]')
    if (!found) throw new Error('no composer yet')
    button(found, 'We hear you')
    return found
  })
  return { ...t, panel, shown }

  function record(clientId: string, state: ReplyRecord['state'], text: string): ReplyRecord {
    return {
      clientId,
      mentionId: shown.id,
      sourceId: 'masto',
      platform: 'mastodon',
      mention: shown,
      text,
      state,
      createdAt: 1,
      updatedAt: 2,
      attempts: 1,
      nextAttemptAt: null,
      error: state === 'unknown' ? 'mastodon.example did not answer within 20 s' : null,
      remoteId: null,
      url: null,
    }
  }
}

const input = (panel: HTMLElement, label: string) => {
  const found = [...panel.querySelectorAll('label')].find((l) => l.textContent?.includes(label))
  const element = found?.querySelector('input')
  if (!element) throw new Error(`no input ${label}`)
  return element
}

describe('the composer', () => {
  it('blocks Send until the required field is filled, then sends the preview once', async () => {
    const { panel, fake } = await composerFor()
    await click(button(panel, 'We hear you'))
    const send = button(panel, 'Send reply')
    expect(send.disabled).toBe(true)
    expect(panel.textContent).toContain('Still to fill: What went wrong, in their words')
    await type(input(panel, 'What went wrong'), 'the missing parcel')
    expect(send.disabled).toBe(false)
    const preview = panel.querySelector('[aria-label="Reply preview"]')?.textContent
    expect(preview).toBe(
      "Erin, we hear you, and we're sorry about the missing parcel. We're looking into it now and will update you here.",
    )
    // Counted as Mastodon will post it: with `@erin ` in front, since the text does not name her.
    expect(panel.textContent).toContain(`${(preview?.length ?? 0) + '@erin '.length} / 500`)
    await click(send)
    const sent = fake.calls.filter((c) => c.name === 'replies:send')
    expect(sent).toHaveLength(1)
    expect(sent[0]?.input).toMatchObject({ mentionId: 'demo:2', text: preview })
  })

  it('keeps Send disabled while the reply is longer than the platform allows', async () => {
    const { panel } = await composerFor()
    await click(button(panel, 'We hear you'))
    await type(input(panel, 'What went wrong'), 'x'.repeat(500))
    expect(button(panel, 'Send reply').disabled).toBe(true)
    expect(panel.querySelector('.composer__count--over')).not.toBeNull()
  })

  it('shows an unknown reply with its words and lets the responder resolve it', async () => {
    const { panel, fake, shown } = await composerFor()
    const unknown: ReplyRecord = {
      clientId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
      mentionId: shown.id,
      sourceId: 'masto',
      platform: 'mastodon',
      mention: shown,
      text: 'Sorry!',
      state: 'unknown',
      createdAt: 1,
      updatedAt: 2,
      attempts: 1,
      nextAttemptAt: null,
      error: 'mastodon.example did not answer within 20 s. The reply may or may not be posted',
      remoteId: null,
      url: null,
    }
    await settle(() => fake.emit('replies:changed', [unknown]))
    expect(panel.textContent).toContain('Unknown, check')
    expect(panel.textContent).toContain('may or may not be posted')
    await click(button(panel, 'It was not posted: send again'))
    expect(fake.calls.at(-1)).toEqual({
      name: 'replies:resolve',
      input: { clientId: unknown.clientId, outcome: 'retry' },
    })
  })

  it('records a sent reply: Done, and a reply row with the text in the audit log', async () => {
    const { services, fake, shown } = await composerFor()
    const sent = {
      clientId: '1b4e28ba-2fa1-41d2-883f-0016d3cca427',
      mentionId: shown.id,
      sourceId: 'masto',
      platform: 'mastodon' as const,
      mention: shown,
      text: 'We hear you, Erin.',
      state: 'sent' as const,
      createdAt: 1,
      updatedAt: 5,
      attempts: 1,
      nextAttemptAt: null,
      error: null,
      remoteId: 'https://mastodon.example/users/acme/statuses/9',
      url: null,
    }
    await settle(() => fake.emit('replies:changed', [sent]))
    await settle(() => fake.emit('replies:changed', [sent]))
    await waitFor(async () => expect((await services.db.states.get(shown.id))?.status).toBe('done'))
    const timeline = await loadTimeline(services.db, shown.id)
    const replies = timeline.filter((row) => row.kind === 'reply')
    expect(replies.map((row) => [row.authorId, row.detail.text, row.detail.to])).toEqual([
      ['mastodon:@erin', 'Replied: We hear you, Erin.', 'done'],
    ])
  })

  it('offers copy, open and mark answered where the source takes no replies', async () => {
    const { panel, services, shown, fake } = await composerFor(false, 'rss')
    expect(panel.textContent).toContain('This source takes no replies from Earshot')
    await click(button(panel, 'Thank you'))
    expect(() => button(panel, 'Send reply')).toThrow()
    await click(button(panel, 'Open the post'))
    expect(fake.calls).toContainEqual({ name: 'shell:openExternal', input: { url: shown.url } })
    await click(button(panel, 'Mark answered'))
    await waitFor(async () => expect((await services.db.states.get(shown.id))?.status).toBe('done'))
    const rows = await loadTimeline(services.db, shown.id)
    expect(rows.at(-1)?.detail.text).toBe(
      'Answered on the platform by hand: Thank you, Erin! It means a lot to the whole Acme team.',
    )
  })

  it('shows the conversation oldest first with this mention highlighted, and earlier exchanges', async () => {
    const t = testServices({
      'mentions:thread': (input: { mention: { id: string } }) =>
        ok([
          { ...mention(1), id: 'root', text: 'Is Acme down?', author: { id: 'c', name: 'Carol' } },
          input.mention,
          { ...mention(3), id: 'later', text: 'same here', author: { id: 'd', name: 'Dan' } },
        ]),
    })
    const shown = mention(2, { threadId: 'thread-for-this-test' })
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [shown] })
    await t.services.db.actions.add({
      mentionId: 'demo:old',
      authorId: shown.author.id,
      at: 5,
      kind: 'reply',
      detail: { text: 'Replied: Glad it works now' },
    })
    t.services.store.getState().select(shown.id)
    const rendered = await render(<ContextPanel />, t.services)
    cleanup = rendered.unmount
    const thread = await waitFor(() => {
      const found = rendered.container.querySelector<HTMLElement>('[aria-label="Conversation"]')
      if (!found) throw new Error('no thread yet')
      return found
    })
    const posts = [...thread.querySelectorAll('li')]
    expect(posts.map((p) => p.querySelector('.thread__text')?.textContent)).toEqual([
      'Is Acme down?',
      shown.text,
      'same here',
    ])
    expect(posts.map((p) => p.getAttribute('aria-current'))).toEqual([null, 'true', null])
    await waitFor(() =>
      expect(
        rendered.container.querySelector('[aria-label="Earlier exchanges"]')?.textContent,
      ).toContain('Replied: Glad it works now'),
    )
  })
})
