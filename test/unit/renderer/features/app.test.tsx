import { afterEach, describe, expect, it } from 'vitest'
import { App } from '../../../../src/renderer/src/App'
import type { BrandProfile } from '../../../../src/shared/domain'
import { ok } from '../../../../src/shared/result'
import { button, click, field, render, settle, testServices, type, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const acme: BrandProfile = {
  brand: 'Acme',
  handles: [],
  products: [],
  competitors: [],
  excluded: [],
}

function app(profile: BrandProfile | null) {
  return testServices({
    'profile:get': () => ok(profile),
    'profile:save': ({ profile: saved }: { profile: BrandProfile }) => ok(saved),
    'sources:list': () => ok([]),
    'alerts:setUnhandled': () => ok({}),
  })
}

/** A main that never answers for the profile. */
const silentMain = () =>
  testServices({
    'profile:get': () => new Promise(() => {}),
    'sources:list': () => ok([]),
    'alerts:setUnhandled': () => ok({}),
  })

describe('the app shell', () => {
  it('asks for the brand on first run, then shows the queue', async () => {
    const t = app(null)
    const view = await render(<App />, t.services)
    cleanup = view.unmount
    await waitFor(() => field(view.container, 'Brand name'))
    expect(view.container.querySelector('nav')).toBeNull()
    await type(field(view.container, 'Brand name'), 'Acme')
    await click(button(view.container, 'Save brand'))
    await waitFor(() => expect(view.container.textContent).toContain('Nothing heard yet'))
    expect(view.container.textContent).toContain('Listening for Acme')
    expect(view.container.querySelector('[aria-label="Mention details"]')).not.toBeNull()
  })

  it('paints the queue from the brand it last had while main is still answering', async () => {
    localStorage.setItem('earshot:profile', JSON.stringify(acme))
    // Main never answers in this test: the queue must not wait for it.
    const view = await render(<App />, silentMain().services)
    cleanup = view.unmount
    await waitFor(() => expect(view.container.textContent).toContain('Nothing heard yet'))
    expect(view.container.textContent).not.toContain('Connecting to Earshot')
  })

  it('follows main when it no longer has the brand the page remembered', async () => {
    localStorage.setItem('earshot:profile', JSON.stringify(acme))
    const view = await render(<App />, app(null).services)
    cleanup = view.unmount
    await waitFor(() => field(view.container, 'Brand name'))
    expect(localStorage.getItem('earshot:profile')).toBeNull()
  })

  it('ignores a remembered profile that is not one', async () => {
    localStorage.setItem('earshot:profile', '{"brand": 42}')
    const view = await render(<App />, silentMain().services)
    cleanup = view.unmount
    await waitFor(() => expect(view.container.textContent).toContain('Connecting to Earshot'))
    expect(view.container.textContent).not.toContain('Nothing heard yet')
  })

  it('navigates between the queue, sources and brand', async () => {
    const t = app(acme)
    const view = await render(<App />, t.services)
    cleanup = view.unmount
    await waitFor(() => button(view.container, 'Sources'))
    await click(button(view.container, 'Sources'))
    await waitFor(() => expect(view.container.textContent).toContain('Add a feed'))
    await click(button(view.container, 'Brand'))
    await waitFor(() => expect(field(view.container, 'Brand name').value).toBe('Acme'))
    await click(button(view.container, 'Cancel'))
    await waitFor(() => expect(view.container.textContent).toContain('Nothing heard yet'))
  })

  it('tells the responder when a settings file was broken and kept aside', async () => {
    const problem =
      'sources.json could not be read (Unexpected token). It was kept as sources.json.corrupt-2026-11-23T10-00-00-000Z and Earshot started with defaults.'
    const t = testServices({
      'profile:get': () => ok(acme),
      'sources:list': () => ok([]),
      'alerts:setUnhandled': () => ok({}),
      'app:info': () =>
        ok({ version: '0.1.0', host: 'web', dataDir: '/tmp/x', configProblems: [problem] }),
    })
    const view = await render(<App />, t.services)
    cleanup = view.unmount
    await waitFor(() =>
      expect(view.container.textContent).toContain('kept as sources.json.corrupt'),
    )
    await click(button(view.container, 'Dismiss'))
    expect(view.container.textContent).not.toContain('kept as sources.json.corrupt')
  })

  it('says so while the host is out of reach', async () => {
    const t = app(acme)
    const view = await render(<App />, t.services)
    cleanup = view.unmount
    await waitFor(() => button(view.container, 'Sources'))
    await settle(() => t.connection.set('reconnecting'))
    expect(view.container.textContent).toContain('Disconnected from Earshot — reconnecting')
    await settle(() => t.connection.set('connected'))
    await waitFor(() => expect(view.container.textContent).not.toContain('Disconnected'))
  })

  it('shows storage full from the sync loop', async () => {
    const t = app(acme)
    const view = await render(<App />, t.services)
    cleanup = view.unmount
    await waitFor(() => button(view.container, 'Sources'))
    await settle(() => t.services.store.getState().setSync({ kind: 'storage-full' }))
    expect(view.container.querySelector('[role="alert"]')?.textContent).toContain('Storage full')
  })
})
