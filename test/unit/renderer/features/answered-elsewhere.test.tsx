import { afterEach, describe, expect, it } from 'vitest'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { ContextPanel } from '../../../../src/renderer/src/features/context/ContextPanel'
import type { Mention } from '../../../../src/shared/domain'
import { ok } from '../../../../src/shared/result'
import { mention } from '../fixtures'
import { render, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const profile = {
  brand: 'Acme',
  handles: [{ platform: 'bluesky' as const, handle: 'acme.bsky.social' }],
  products: [],
  competitors: [],
  excluded: [],
}

const asked = (thread: string): Mention =>
  mention(1, {
    id: `bluesky:at://ana/post/${thread}`,
    platform: 'bluesky',
    threadId: `bluesky:at://ana/post/${thread}`,
    author: { id: 'bluesky:did:plc:ana', name: 'Ana', handle: '@ana.bsky.social' },
    text: 'My order never came',
    triage: { ...mention(1).triage, directed: true },
  })

describe('answered elsewhere in the context panel', () => {
  it('reads the brand reply from the fetched thread, closes the mention, shows it and warns the composer', async () => {
    const shown = asked('t1')
    const reply = {
      ...mention(2),
      id: 'bluesky:at://acme/post/r1',
      platform: 'bluesky' as const,
      url: 'https://bsky.app/profile/acme.bsky.social/post/r1',
      author: { id: 'bluesky:did:plc:acme', name: 'Acme', handle: '@acme.bsky.social' },
      text: 'Sorry Ana! A new parcel left today.',
      replyTo: shown.id,
      threadId: shown.id,
      createdAt: shown.createdAt + 120_000,
    }
    const t = testServices({
      'profile:get': () => ok(profile),
      'mentions:thread': () => ok([shown, reply]),
    })
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [shown] })
    t.services.store.getState().select(shown.id)
    const view = await render(<ContextPanel />, t.services)
    cleanup = view.unmount

    const section = await waitFor(() => {
      const found = view.container.querySelector<HTMLElement>('[aria-label="Answered elsewhere"]')
      if (!found) throw new Error('not marked yet')
      return found
    })
    expect(section.textContent).toContain('@acme.bsky.social replied')
    expect(section.textContent).toContain('Sorry Ana! A new parcel left today.')
    expect(section.textContent).toContain('https://bsky.app/profile/acme.bsky.social/post/r1')
    expect((await t.services.db.states.get(shown.id))?.status).toBe('done')
    const warning = view.container.querySelector('.composer__warning')
    expect(warning?.textContent).toContain('Already answered elsewhere by @acme.bsky.social')
    // The thread labels the brand's own post.
    expect(view.container.querySelector('.thread')?.textContent).toContain('(your account)')
  })

  it('shows nothing of the kind when only other people replied', async () => {
    const shown = asked('t2')
    const other = {
      ...mention(3),
      id: 'bluesky:at://bob/post/x',
      platform: 'bluesky' as const,
      author: { id: 'bluesky:did:plc:bob', name: 'Bob', handle: '@bob.bsky.social' },
      text: 'same here',
      replyTo: shown.id,
    }
    const t = testServices({
      'profile:get': () => ok(profile),
      'mentions:thread': () => ok([shown, other]),
    })
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [shown] })
    t.services.store.getState().select(shown.id)
    const view = await render(<ContextPanel />, t.services)
    cleanup = view.unmount
    await waitFor(() => expect(view.container.textContent).toContain('same here'))
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(view.container.querySelector('[aria-label="Answered elsewhere"]')).toBeNull()
    expect(view.container.querySelector('.composer__warning')).toBeNull()
    expect((await t.services.db.states.get(shown.id))?.status).toBe('open')
  })
})
