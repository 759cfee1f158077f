import { afterEach, describe, expect, it } from 'vitest'
import { SourcesScreen } from '../../../../src/renderer/src/features/sources/SourcesScreen'
import { clockTime } from '../../../../src/renderer/src/features/sources/source-labels'
import type { SourceView } from '../../../../src/shared/domain'
import { err, ok } from '../../../../src/shared/result'
import { button, click, field, render, testServices, type, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const health: SourceView['health'] = {
  state: 'live',
  lastSuccessAt: Date.now() - 120_000,
  lastErrorAt: null,
  lastError: null,
  itemsTotal: 1234,
  nextCheckAt: Date.now() + 300_000,
  consecutiveFailures: 0,
}
const demo: SourceView = {
  config: { id: 'demo', kind: 'demo', name: 'Demo', paused: false, intervalSec: 60, createdAt: 0 },
  health,
}
const blog: SourceView = {
  config: {
    id: 'blog',
    kind: 'rss',
    name: 'Acme blog',
    url: 'https://blog.example.com/feed',
    paused: false,
    intervalSec: 900,
    createdAt: 0,
  },
  health: { ...health, state: 'backing-off', lastError: 'The feed answered 404 Not Found' },
}

async function screen() {
  const t = testServices({
    'sources:setPaused': ({ paused }: { paused: boolean }) =>
      ok({
        ...blog,
        config: { ...blog.config, paused },
        health: { ...blog.health, state: 'paused' },
      }),
    'sources:remove': () => ok({}),
    'sources:add': () => ok({ ...blog, config: { ...blog.config, id: 'news', name: 'News' } }),
  })
  t.services.store.getState().setSources([demo, blog])
  const view = await render(<SourcesScreen />, t.services)
  cleanup = view.unmount
  const card = (id: string) =>
    view.container.querySelector(`[data-source-id="${id}"]`) as HTMLElement
  return { ...t, page: view.container, card }
}

describe('the sources screen', () => {
  it('says in plain words when a source whose breaker opened will be tried again', async () => {
    const nextTry = new Date(2026, 0, 5, 14, 32).getTime()
    const tripped: SourceView = {
      ...blog,
      health: {
        ...blog.health,
        state: 'breaker-open',
        consecutiveFailures: 5,
        nextCheckAt: nextTry,
        lastError: 'Could not reach the server',
      },
    }
    const t = testServices({})
    t.services.store.getState().setSources([tripped])
    const view = await render(<SourcesScreen />, t.services)
    cleanup = view.unmount
    const card = view.container.querySelector('[data-source-id="blog"]') as HTMLElement
    expect(clockTime(nextTry)).toBe('14:32')
    expect(card.querySelector('.state--breaker-open')?.textContent).toBe('Breaker open')
    expect(card.textContent).toContain('Paused after 5 failures — next try at 14:32')
    expect(card.textContent).toContain('Could not reach the server')
  })

  it('shows where a feed moved, from its health note', async () => {
    const moved: SourceView = {
      ...blog,
      config: {
        id: 'blog',
        kind: 'rss',
        name: 'Acme blog',
        url: 'https://new.example.com/feed',
        firstUrl: 'https://blog.example.com/feed',
        paused: false,
        intervalSec: 900,
        createdAt: 0,
      },
      health: {
        ...health,
        note: 'The feed moved permanently to https://new.example.com/feed; Earshot reads it there now',
      },
    }
    const t = testServices({})
    t.services.store.getState().setSources([moved])
    const view = await render(<SourcesScreen />, t.services)
    cleanup = view.unmount
    const card = view.container.querySelector('[data-source-id="blog"]') as HTMLElement
    expect(card.querySelector('.source__note')?.textContent).toBe(
      'The feed moved permanently to https://new.example.com/feed; Earshot reads it there now',
    )
  })

  it('shows the rate against the usual one, and warns when a source fell silent', async () => {
    const speaking: SourceView = {
      ...blog,
      health: { ...health, itemsPerHour: 3.5, usualPerHour: 4, silentSince: null },
    }
    const quiet: SourceView = {
      ...demo,
      health: {
        ...health,
        itemsPerHour: 0.2,
        usualPerHour: 3,
        silentSince: Date.now() - 9 * 3_600_000,
      },
    }
    const t = testServices({})
    t.services.store.getState().setSources([speaking, quiet])
    const view = await render(<SourcesScreen />, t.services)
    cleanup = view.unmount
    const card = (id: string) =>
      view.container.querySelector(`[data-source-id="${id}"]`) as HTMLElement
    expect(card('blog').textContent).toContain('3.5 an hour (usually 4)')
    expect(card('blog').querySelector('.source__status--silent')).toBeNull()
    // the demo's staged pace gets no rate
    expect(card('demo').textContent).not.toContain('an hour (usually')
    expect(card('demo').querySelector('.source__status--silent')?.textContent).toBe(
      'Silent for 9 hours — usually about 3 an hour',
    )
  })

  it('says a new source is still learning its usual rate instead of calling it usually 0', async () => {
    const fresh: SourceView = { ...blog, health: { ...health, itemsPerHour: 0, silentSince: null } }
    const t = testServices({})
    t.services.store.getState().setSources([fresh])
    const view = await render(<SourcesScreen />, t.services)
    cleanup = view.unmount
    const card = view.container.querySelector('[data-source-id="blog"]') as HTMLElement
    expect(card.textContent).toContain('0 an hour (usual rate: after a day)')
    expect(card.textContent).not.toContain('usually')
  })

  it('checks a source now and says what the check brought', async () => {
    const { card, fake, services } = await screen()
    let answer: () => ReturnType<typeof ok<SourceView>> = () =>
      ok({
        ...blog,
        health: { ...blog.health, state: 'live', itemsTotal: 1237, lastSuccessAt: Date.now() },
      } satisfies SourceView)
    let release: () => void = () => undefined
    fake.handlers['sources:checkNow'] = () =>
      new Promise((resolve) => (release = () => resolve(answer())))
    await click(button(card('blog'), 'Check now'))
    expect(fake.calls).toContainEqual({ name: 'sources:checkNow', input: { id: 'blog' } })
    // While the poll runs, the button says so and cannot be pressed twice.
    expect(button(card('blog'), 'Checking…').disabled).toBe(true)
    release()
    await waitFor(() =>
      expect(card('blog').querySelector('[role="status"]')?.textContent).toBe(
        'Checked: 3 new items',
      ),
    )
    expect(
      services.store.getState().sources?.find((s) => s.config.id === 'blog')?.health,
    ).toMatchObject({ state: 'live', itemsTotal: 1237 })

    // A check that failed reports nothing here: the card's "Last error" says what went wrong.
    answer = () =>
      ok({
        ...blog,
        health: {
          ...blog.health,
          itemsTotal: 1237,
          lastErrorAt: Date.now(),
          lastError: 'The feed answered 503 Service Unavailable',
        },
      } satisfies SourceView)
    await click(button(card('blog'), 'Check now'))
    release()
    await waitFor(() =>
      expect(card('blog').textContent).toContain('The feed answered 503 Service Unavailable'),
    )
    expect(card('blog').querySelector('[role="status"]')).toBeNull()
  })

  it('shows why main refused a check, and offers none for a paused source', async () => {
    const { card, fake } = await screen()
    fake.handlers['sources:checkNow'] = () =>
      err(
        'conflict',
        'The platform asked Earshot to slow down, so it checks again in 4 minutes, not before',
      )
    await click(button(card('blog'), 'Check now'))
    await waitFor(() =>
      expect(card('blog').querySelector('[role="alert"]')?.textContent).toBe(
        'The platform asked Earshot to slow down, so it checks again in 4 minutes, not before',
      ),
    )
    await click(button(card('blog'), 'Pause'))
    await waitFor(() => button(card('blog'), 'Resume'))
    expect([...card('blog').querySelectorAll('button')].map((b) => b.textContent)).not.toContain(
      'Check now',
    )
  })

  it('renames a source and changes how often it is checked, keeping its health', async () => {
    const { card, fake, services } = await screen()
    fake.handlers['sources:update'] = ({
      changes,
    }: {
      changes: { name: string; intervalSec: number }
    }) => ok({ ...blog, config: { ...blog.config, ...changes } })
    expect([...card('demo').querySelectorAll('button')].map((b) => b.textContent)).not.toContain(
      'Edit',
    )
    await click(button(card('blog'), 'Edit'))
    const form = card('blog').querySelector('form[aria-label="Edit Acme blog"]') as HTMLElement
    expect(field(form, 'Name').value).toBe('Acme blog')
    expect(field(form, 'Check every (minutes)').value).toBe('15')

    await type(field(form, 'Check every (minutes)'), '')
    await click(button(form, 'Save'))
    expect(form.querySelector('[role="alert"]')?.textContent).toBe('Check every 1 to 1440 minutes')
    expect(fake.calls.some((call) => call.name === 'sources:update')).toBe(false)

    await type(field(form, 'Name'), 'Acme engineering blog')
    await type(field(form, 'Check every (minutes)'), '5')
    await click(button(form, 'Save'))
    expect(fake.calls).toContainEqual({
      name: 'sources:update',
      input: { id: 'blog', changes: { name: 'Acme engineering blog', intervalSec: 300 } },
    })
    await waitFor(() =>
      expect(card('blog').querySelector('[role="status"]')?.textContent).toBe('Saved'),
    )
    expect(card('blog').querySelector('h2')?.textContent).toBe('Acme engineering blog')
    expect(card('blog').textContent).toContain('(every 5 min)')
    expect(card('blog').textContent).toContain('1,234')
    expect(
      services.store.getState().sources?.find((s) => s.config.id === 'blog')?.config.name,
    ).toBe('Acme engineering blog')
  })

  it('lists each source with its kind, state and health in plain words', async () => {
    const { page, card } = await screen()
    expect(page.querySelector('[aria-label="Sources"]')?.children).toHaveLength(2)
    expect(card('demo').textContent).toContain('Demo — sample mentions until you add a real source')
    expect(card('blog').textContent).toContain('Backing off')
    expect(card('blog').textContent).toContain('The feed answered 404 Not Found')
    expect(card('blog').textContent).toContain('1,234')
    expect(card('blog').textContent).toContain('https://blog.example.com/feed')
  })

  it('pauses a source through the host', async () => {
    const { card, fake } = await screen()
    await click(button(card('blog'), 'Pause'))
    expect(fake.calls).toContainEqual({
      name: 'sources:setPaused',
      input: { id: 'blog', paused: true },
    })
    await waitFor(() => button(card('blog'), 'Resume'))
  })

  it('removes a source only after a confirm step', async () => {
    const { card, fake, services } = await screen()
    await click(button(card('blog'), 'Remove'))
    expect(fake.calls.some((call) => call.name === 'sources:remove')).toBe(false)
    await click(button(card('blog'), 'Yes, remove'))
    expect(fake.calls).toContainEqual({ name: 'sources:remove', input: { id: 'blog' } })
    await waitFor(() => expect(services.store.getState().sources).toEqual([demo]))
  })

  it('checks the feed URL before asking the host, and shows the host error inline', async () => {
    const { page, fake } = await screen()
    await type(field(page, 'Feed URL'), 'not a url')
    await click(button(page, 'Add feed'))
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('http')
    expect(fake.calls.some((call) => call.name === 'sources:add')).toBe(false)

    fake.handlers['sources:add'] = () => err('conflict', 'This feed is already a source')
    await type(field(page, 'Feed URL'), 'https://news.example.com/rss')
    await click(button(page, 'Add feed'))
    await waitFor(() =>
      expect(page.querySelector('[role="alert"]')?.textContent).toBe(
        'This feed is already a source',
      ),
    )
  })

  it('adds a feed with a name and an interval in minutes', async () => {
    const { page, fake, services } = await screen()
    await type(field(page, 'Feed URL'), 'https://news.example.com/rss')
    await type(field(page, 'Name'), 'News')
    await type(field(page, 'Check every (minutes)'), '30')
    await click(button(page, 'Add feed'))
    expect(fake.calls).toContainEqual({
      name: 'sources:add',
      input: {
        source: {
          kind: 'rss',
          url: 'https://news.example.com/rss',
          name: 'News',
          intervalSec: 1800,
        },
      },
    })
    await waitFor(() =>
      expect(page.querySelector('[role="status"]')?.textContent).toContain('News'),
    )
    expect(services.store.getState().sources?.map((s) => s.config.id)).toEqual([
      'demo',
      'blog',
      'news',
    ])
  })

  it('adds a Hacker News search, showing what the brand profile searches for', async () => {
    const hn: SourceView = {
      config: {
        id: 'hn',
        kind: 'hn',
        name: 'HN: Globex',
        apiBase: 'https://hn.algolia.com',
        query: 'Globex',
        paused: false,
        intervalSec: 120,
        createdAt: 0,
      },
      health,
    }
    const t = testServices({ 'sources:add': () => ok(hn) })
    t.services.store.getState().setSources([blog])
    const profile = {
      brand: 'Acme',
      handles: [],
      products: ['Acme Cloud', 'Road Runner'],
      competitors: [],
      excluded: [],
    }
    const view = await render(<SourcesScreen profile={profile} />, t.services)
    cleanup = view.unmount
    const page = view.container
    await click(field(page, 'Hacker News'))
    expect(field(page, 'Search for').placeholder).toBe(
      'Uses the brand profile: Acme or "Road Runner"',
    )
    expect(field(page, 'Check every (minutes)').value).toBe('2')
    expect(() => field(page, 'Feed URL')).toThrow()

    await type(field(page, 'API address'), 'ftp://mirror')
    await click(button(page, 'Add Hacker News'))
    expect(page.querySelector('[role="alert"]')?.textContent).toContain('http')
    expect(t.fake.calls.some((call) => call.name === 'sources:add')).toBe(false)

    await type(field(page, 'API address'), 'http://127.0.0.1:9/')
    await type(field(page, 'Search for'), 'Globex')
    await type(field(page, 'Name'), 'HN: Globex')
    await click(button(page, 'Add Hacker News'))
    expect(t.fake.calls).toContainEqual({
      name: 'sources:add',
      input: {
        source: {
          kind: 'hn',
          query: 'Globex',
          apiBase: 'http://127.0.0.1:9/',
          name: 'HN: Globex',
          intervalSec: 120,
        },
      },
    })
    const card = await waitFor(() => {
      const found = page.querySelector('[data-source-id="hn"]')
      if (!(found instanceof HTMLElement)) throw new Error('no card yet')
      return found
    })
    expect(card.textContent).toContain('Hacker News')
    expect(card.textContent).toContain('Searching for Globex')
  })

  it('adds Mastodon hashtags, with or without #, and shows them on the card', async () => {
    const mastodon: SourceView = {
      config: {
        id: 'mastodon',
        kind: 'mastodon',
        name: 'Acme on Mastodon',
        instance: 'https://mastodon.social',
        hashtags: ['acme', 'AcmeCloud'],
        paused: false,
        intervalSec: 60,
        createdAt: 0,
      },
      health,
    }
    const t = testServices({ 'sources:add': () => ok(mastodon) })
    t.services.store.getState().setSources([blog])
    const view = await render(<SourcesScreen />, t.services)
    cleanup = view.unmount
    const page = view.container
    await click(field(page, 'Mastodon'))
    expect(field(page, 'Instance').placeholder).toBe('https://mastodon.social')
    expect(field(page, 'Check every (minutes)').value).toBe('1')
    expect(() => field(page, 'Feed URL')).toThrow()

    await type(field(page, 'Instance'), 'https://mastodon.social')
    await type(field(page, 'Hashtags'), '#acme, brand-new')
    await click(button(page, 'Add Mastodon'))
    expect(page.querySelector('[role="alert"]')?.textContent).toContain(
      '“brand-new” is not a hashtag',
    )
    expect(t.fake.calls.some((call) => call.name === 'sources:add')).toBe(false)

    await type(field(page, 'Hashtags'), '#acme, AcmeCloud  #ACME')
    await type(field(page, 'Name'), 'Acme on Mastodon')
    await click(button(page, 'Add Mastodon'))
    expect(t.fake.calls).toContainEqual({
      name: 'sources:add',
      input: {
        source: {
          kind: 'mastodon',
          instance: 'https://mastodon.social',
          hashtags: ['acme', 'AcmeCloud'],
          name: 'Acme on Mastodon',
          intervalSec: 60,
        },
      },
    })
    const card = await waitFor(() => {
      const found = page.querySelector('[data-source-id="mastodon"]')
      if (!(found instanceof HTMLElement)) throw new Error('no card yet')
      return found
    })
    expect(card.textContent).toContain('Mastodon')
    expect(card.textContent).toContain('#acme #AcmeCloud@mastodon.social')
  })
})
