import { afterEach, describe, expect, it } from 'vitest'
import { SourcesScreen } from '../../../../src/renderer/src/features/sources/SourcesScreen'
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
  itemsTotal: 12,
  nextCheckAt: Date.now() + 300_000,
  consecutiveFailures: 0,
}
const sky: SourceView = {
  config: {
    id: 'bluesky-1',
    kind: 'bluesky',
    name: 'Bluesky @acme.bsky.social',
    service: 'https://bsky.social',
    identifier: 'acme.bsky.social',
    paused: false,
    intervalSec: 120,
    createdAt: 0,
  },
  health,
  credential: 'set',
  canReply: true,
}

describe('sources that sign in', () => {
  it('adds Bluesky with a password field, tests the connection first, and clears the secret', async () => {
    const t = testServices({
      'sources:test': ({ source }: { source: { credentials: { appPassword: string } } }) =>
        source.credentials.appPassword === 'good-pass'
          ? ok({ found: 3, message: 'Connected: this check found 3 items.' })
          : err('network', 'Invalid identifier or password'),
      'sources:add': () => ok(sky),
    })
    t.services.store.getState().setSources([])
    const view = await render(<SourcesScreen />, t.services)
    cleanup = view.unmount
    const page = view.container
    await click(field(page, 'Bluesky'))
    const password = field(page, 'App password')
    expect(password.type).toBe('password')
    expect(password.autocomplete).toBe('off')
    expect(page.textContent).toContain('Settings → Privacy and security → App passwords')

    await type(field(page, 'Handle'), 'acme.bsky.social')
    await type(password, 'bad-pass')
    await click(button(page, 'Test connection'))
    await waitFor(() =>
      expect(page.querySelector('[role="alert"]')?.textContent).toBe(
        'Invalid identifier or password',
      ),
    )
    await type(field(page, 'App password'), 'good-pass')
    await click(button(page, 'Test connection'))
    await waitFor(() =>
      expect(page.querySelector('[role="status"]')?.textContent).toBe(
        'Connected: this check found 3 items.',
      ),
    )
    // Testing saved nothing.
    expect(t.fake.calls.some((call) => call.name === 'sources:add')).toBe(false)

    await click(button(page, 'Add Bluesky'))
    expect(t.fake.calls).toContainEqual({
      name: 'sources:add',
      input: {
        source: {
          kind: 'bluesky',
          identifier: 'acme.bsky.social',
          credentials: { appPassword: 'good-pass' },
          intervalSec: 120,
        },
      },
    })
    await waitFor(() => expect(page.querySelector('[data-source-id="bluesky-1"]')).not.toBeNull())
    expect(field(page, 'App password').value).toBe('')
    const card = page.querySelector('[data-source-id="bluesky-1"]') as HTMLElement
    expect(card.textContent).toContain('Sign-in saved · replies are sent from Earshot')
  })

  it('explains the Reddit app and asks for every secret in password fields', async () => {
    const t = testServices({})
    t.services.store.getState().setSources([])
    const view = await render(<SourcesScreen />, t.services)
    cleanup = view.unmount
    const page = view.container
    await click(field(page, 'Reddit'))
    expect(page.textContent).toContain('November 2025')
    expect(page.textContent).toContain('script')
    expect(field(page, 'Client secret').type).toBe('password')
    expect(field(page, 'Reddit password').type).toBe('password')
    await type(field(page, 'Reddit username'), 'acme')
    await click(button(page, 'Add Reddit'))
    expect(page.querySelector('[role="alert"]')?.textContent).toBe(
      "Enter the Reddit account's password",
    )
    expect(t.fake.calls.some((call) => call.name === 'sources:add')).toBe(false)
  })

  it('offers to re-enter a sign-in that cannot be read, and sends it to main', async () => {
    const unreadable: SourceView = {
      ...sky,
      credential: 'unreadable',
      canReply: false,
      health: { ...health, state: 'waiting', nextCheckAt: null },
    }
    const t = testServices({
      'sources:setCredentials': () => ok({ ...sky, health: { ...health, state: 'waiting' } }),
    })
    t.services.store.getState().setSources([unreadable])
    const view = await render(<SourcesScreen />, t.services)
    cleanup = view.unmount
    const page = view.container
    const card = page.querySelector('[data-source-id="bluesky-1"]') as HTMLElement
    expect(card.textContent).toContain('cannot be read on this computer')
    await click(button(card, 'Re-enter sign-in'))
    const input = field(card, 'App password')
    expect(input.type).toBe('password')
    await click(button(card, 'Save sign-in'))
    expect(card.querySelector('[role="alert"]')?.textContent).toBe('Enter the app password')
    await type(input, 'fresh-pass')
    await click(button(card, 'Save sign-in'))
    expect(t.fake.calls).toContainEqual({
      name: 'sources:setCredentials',
      input: { id: 'bluesky-1', credentials: { appPassword: 'fresh-pass' } },
    })
    await waitFor(() => expect(card.textContent).toContain('Sign-in saved'))
    expect(() => field(card, 'App password')).toThrow()
  })

  it('says a streaming source is connected live and a rejected one needs a new sign-in', async () => {
    const t = testServices({})
    t.services.store.getState().setSources([
      { ...sky, health: { ...health, state: 'streaming' } },
      {
        ...sky,
        config: { ...sky.config, id: 'bluesky-2' },
        health: { ...health, state: 'credential-invalid', nextCheckAt: null },
      },
    ])
    const view = await render(<SourcesScreen />, t.services)
    cleanup = view.unmount
    const page = view.container
    const live = page.querySelector('[data-source-id="bluesky-1"]') as HTMLElement
    expect(live.textContent).toContain('Streaming')
    expect(live.textContent).toContain('Connected live')
    const rejected = page.querySelector('[data-source-id="bluesky-2"]') as HTMLElement
    expect(rejected.textContent).toContain('Sign-in rejected')
    expect(() => button(rejected, 'Re-enter sign-in')).not.toThrow()
  })
})
