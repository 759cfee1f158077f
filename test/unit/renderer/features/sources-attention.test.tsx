import { afterEach, describe, expect, it } from 'vitest'
import { SourcesScreen } from '../../../../src/renderer/src/features/sources/SourcesScreen'
import { needsAttention } from '../../../../src/renderer/src/features/sources/source-labels'
import { AppHeader } from '../../../../src/renderer/src/shell/AppHeader'
import type { SourceView } from '../../../../src/shared/domain'
import { button, click, render, settle, testServices, type, waitFor } from '../render'

/* With many sources (an OPML import brings a hundred), the failing and silent ones must not hide
   in a long list: the Sources tab counts them wherever the responder is, and the screen shows
   just them, or finds any source by its words. */

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const working: SourceView['health'] = {
  state: 'live',
  lastSuccessAt: Date.now() - 60_000,
  lastErrorAt: null,
  lastError: null,
  itemsTotal: 12,
  nextCheckAt: Date.now() + 600_000,
  consecutiveFailures: 0,
}
const feed = (n: number, health: Partial<SourceView['health']> = {}): SourceView => ({
  config: {
    id: `feed-${n}`,
    kind: 'rss',
    name: `Forum ${n}`,
    url: `https://forum${n}.example/latest.rss`,
    paused: false,
    intervalSec: 900,
    createdAt: 0,
  },
  health: { ...working, ...health },
})
const failing = { state: 'backing-off' as const, lastError: 'The feed answered 404 Not Found' }
const mastodon: SourceView = {
  config: {
    id: 'masto',
    kind: 'mastodon',
    name: 'Fediverse',
    instance: 'https://mastodon.social',
    hashtags: ['acmecloud'],
    paused: false,
    intervalSec: 60,
    createdAt: 0,
  },
  health: working,
}

const shownIds = (page: HTMLElement) =>
  [...page.querySelectorAll('[data-source-id]')].map((el) => el.getAttribute('data-source-id'))

describe('sources that need attention', () => {
  it('are the failing, the sign-ins refused and the silent; not the paused or rate-limited', () => {
    expect(needsAttention(feed(1))).toBe(false)
    expect(needsAttention(feed(1, failing))).toBe(true)
    expect(needsAttention(feed(1, { state: 'breaker-open' }))).toBe(true)
    expect(needsAttention(feed(1, { state: 'credential-invalid' }))).toBe(true)
    expect(needsAttention(feed(1, { silentSince: Date.now() - 9 * 3_600_000 }))).toBe(true)
    expect(needsAttention(feed(1, { silentSince: null }))).toBe(false)
    expect(needsAttention(feed(1, { state: 'rate-limited' }))).toBe(false)
    expect(needsAttention(feed(1, { state: 'streaming' }))).toBe(false)
    const paused = feed(1, { ...failing, state: 'paused' })
    expect(needsAttention({ ...paused, config: { ...paused.config, paused: true } })).toBe(false)
  })

  it('are counted on the Sources tab, and the count follows their health', async () => {
    const t = testServices()
    t.services.store.getState().setSources([feed(1), feed(2, failing), feed(3)])
    const view = await render(<AppHeader brand="Acme" urgent={0} />, t.services)
    cleanup = view.unmount
    const tab = () =>
      [...view.container.querySelectorAll('.nav__item')].find((item) =>
        item.textContent?.startsWith('Sources'),
      )
    const badge = () => tab()?.querySelector('.nav__badge') ?? null
    expect(badge()?.textContent).toBe('1')
    expect(badge()?.getAttribute('title')).toBe('1 source needs attention: failing or silent')
    await settle(() => t.services.store.getState().upsertSource(feed(3, { state: 'breaker-open' })))
    expect(badge()?.textContent).toBe('2')
    await settle(() => {
      t.services.store.getState().upsertSource(feed(2))
      t.services.store.getState().upsertSource(feed(3))
    })
    expect(badge()).toBeNull()
  })

  it('are shown alone on the Sources screen, which says when none is left', async () => {
    const t = testServices()
    t.services.store.getState().setSources([feed(1), feed(2, failing), mastodon])
    const view = await render(<SourcesScreen />, t.services)
    cleanup = view.unmount
    const page = view.container
    expect(shownIds(page)).toEqual(['feed-1', 'feed-2', 'masto'])
    await click(button(page, 'Need attention (1)'))
    expect(shownIds(page)).toEqual(['feed-2'])
    await settle(() => t.services.store.getState().upsertSource(feed(2)))
    expect(shownIds(page)).toEqual([])
    expect(page.querySelector('[role="status"]')?.textContent).toBe(
      'Every source is working: none is failing or silent.',
    )
    await click(button(page, 'All (3)'))
    expect(shownIds(page)).toHaveLength(3)
  })

  it('finds a source by name, address, hashtag or kind once there are many', async () => {
    const t = testServices()
    const many = [...Array.from({ length: 7 }, (_, n) => feed(n, n === 4 ? failing : {})), mastodon]
    t.services.store.getState().setSources(many)
    const view = await render(<SourcesScreen />, t.services)
    cleanup = view.unmount
    const page = view.container
    const find = page.querySelector<HTMLInputElement>('input[aria-label="Find a source"]')
    if (!find) throw new Error('no box to find a source')
    await type(find, 'forum3.example')
    await waitFor(() => expect(shownIds(page)).toEqual(['feed-3']))
    await type(find, '#AcmeCloud')
    await waitFor(() => expect(shownIds(page)).toEqual(['masto']))
    await type(find, 'mastodon')
    await waitFor(() => expect(shownIds(page)).toEqual(['masto']))
    await type(find, 'forum')
    await click(button(page, 'Need attention (1)'))
    await waitFor(() => expect(shownIds(page)).toEqual(['feed-4']))
    await type(find, 'nowhere')
    await waitFor(() =>
      expect(page.querySelector('[role="status"]')?.textContent).toBe(
        'No source needing attention matches “nowhere”.',
      ),
    )
  })

  it('offers no filter for a single source, and no finding for a few', async () => {
    const t = testServices()
    t.services.store.getState().setSources([feed(1, failing)])
    const view = await render(<SourcesScreen />, t.services)
    cleanup = view.unmount
    expect(view.container.querySelector('[aria-label="Show"]')).toBeNull()
    cleanup()
    t.services.store.getState().setSources([feed(1), feed(2)])
    const again = await render(<SourcesScreen />, t.services)
    cleanup = again.unmount
    expect(again.container.querySelector('[aria-label="Show"]')).not.toBeNull()
    expect(again.container.querySelector('[aria-label="Find a source"]')).toBeNull()
  })
})
