import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { setStatus } from '../../../../src/renderer/src/db/actions'
import { revealMention } from '../../../../src/renderer/src/features/alerts/reveal-mention'
import { Toasts } from '../../../../src/renderer/src/features/alerts/Toasts'
import { useAlertEvents } from '../../../../src/renderer/src/features/alerts/use-alert-events'
import { useUnhandledCount } from '../../../../src/renderer/src/features/alerts/use-unhandled-count'
import { URGENT_AT } from '../../../../src/shared/domain'
import { mention } from '../fixtures'
import { button, click, render, settle, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => {
  cleanup?.()
  vi.unstubAllGlobals()
})

/** Stands in for the browser's Notification; records what the page asked for. */
class FakeNotification {
  static permission: NotificationPermission = 'granted'
  static shown: FakeNotification[] = []
  onclick: (() => void) | null = null
  constructor(
    readonly title: string,
    readonly options: NotificationOptions,
  ) {
    FakeNotification.shown.push(this)
  }
  close() {}
}

beforeEach(() => {
  FakeNotification.shown = []
  vi.stubGlobal('Notification', FakeNotification)
})

function Listener() {
  useAlertEvents()
  return <Toasts />
}

const alert = { mentionId: 'demo:1', title: 'Urgent: Ana', body: 'Refund now' }

describe('alerts', () => {
  it('shows a toast and a browser notification; clicking it brings the mention forward', async () => {
    const t = testServices()
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [mention(1)] })
    await setStatus(t.services.db, 'demo:1', 'done')
    t.services.store.getState().showScreen('sources')
    const view = await render(<Listener />, t.services)
    cleanup = view.unmount

    await settle(() => t.fake.emit('alerts:notify', alert))
    await waitFor(() => expect(view.container.textContent).toContain('Urgent: Ana'))
    expect(FakeNotification.shown.map((n) => [n.title, n.options])).toEqual([
      ['Urgent: Ana', { body: 'Refund now', tag: 'demo:1' }],
    ])

    await settle(() => FakeNotification.shown[0]?.onclick?.())
    await waitFor(() => expect(t.services.store.getState().selectedId).toBe('demo:1'))
    const state = t.services.store.getState()
    // Done and not urgent, so Inbox would hide it: All shows it.
    expect([state.screen, state.view, state.revealNonce]).toEqual(['queue', 'all', 1])
    expect(state.toasts).toEqual([])
  })

  it('asks for nothing the user has not allowed', async () => {
    FakeNotification.permission = 'default'
    const t = testServices()
    const view = await render(<Listener />, t.services)
    cleanup = view.unmount
    await settle(() => t.fake.emit('alerts:notify', alert))
    await waitFor(() => expect(view.container.textContent).toContain('Urgent: Ana'))
    expect(FakeNotification.shown).toEqual([])
    FakeNotification.permission = 'granted'
  })

  it('opens the mention when its toast is clicked, or when the shell asks', async () => {
    const t = testServices()
    const view = await render(<Listener />, t.services)
    cleanup = view.unmount
    await settle(() => t.fake.emit('alerts:notify', alert))
    await waitFor(() => button(view.container, 'Urgent: AnaRefund now'))
    await click(button(view.container, 'Urgent: AnaRefund now'))
    await waitFor(() => expect(t.services.store.getState().selectedId).toBe('demo:1'))
    // Not stored yet: it will arrive in the current view, so Inbox is kept.
    expect(t.services.store.getState().view).toBe('inbox')

    await settle(() => t.fake.emit('ui:openMention', { mentionId: 'demo:9' }))
    await waitFor(() => expect(t.services.store.getState().selectedId).toBe('demo:9'))
  })

  it('opens the Sources screen for a source alarm, from its toast or from the shell', async () => {
    const t = testServices()
    const view = await render(<Listener />, t.services)
    cleanup = view.unmount
    const quiet = { mentionId: 'source:blog', title: 'Quiet: Acme blog', body: 'No mentions' }
    await settle(() => t.fake.emit('alerts:notify', quiet))
    await waitFor(() => button(view.container, 'Quiet: Acme blogNo mentions'))
    expect(t.services.store.getState().screen).toBe('queue')
    await click(button(view.container, 'Quiet: Acme blogNo mentions'))
    await waitFor(() => expect(t.services.store.getState().screen).toBe('sources'))
    expect(t.services.store.getState().selectedId).not.toBe('source:blog')
    expect(t.services.store.getState().toasts).toEqual([])
    expect(FakeNotification.shown.map((n) => n.options.tag)).toEqual(['source:blog'])

    t.services.store.getState().showScreen('queue')
    await settle(() => t.fake.emit('ui:openMention', { mentionId: 'source:blog' }))
    await waitFor(() => expect(t.services.store.getState().screen).toBe('sources'))
  })

  it('keeps the view when it already shows the mention', async () => {
    const t = testServices()
    // Even numbers are directed: Inbox holds demo:2.
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [mention(2)] })
    await revealMention(t.services, 'demo:2')
    expect(t.services.store.getState().view).toBe('inbox')
  })

  it('goes to Urgent for an urgent overheard mention Inbox does not hold', async () => {
    const t = testServices()
    const base = mention(3)
    const urgent = { ...base, triage: { ...base.triage, urgency: 95 } }
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [urgent] })
    await revealMention(t.services, 'demo:3')
    expect(t.services.store.getState().view).toBe('urgent')
  })

  it('reports the number of open urgent mentions for the tray as it changes', async () => {
    const t = testServices()
    function Counter() {
      useUnhandledCount()
      return null
    }
    const view = await render(<Counter />, t.services)
    cleanup = view.unmount
    const counts = () =>
      t.fake.calls.filter((c) => c.name === 'alerts:setUnhandled').map((c) => c.input)
    await waitFor(() => expect(counts()).toEqual([{ count: 0 }]))

    const urgent = (n: number) => {
      const base = mention(n)
      return { ...base, triage: { ...base.triage, urgency: URGENT_AT + n } }
    }
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [urgent(1), urgent(2)] })
    await waitFor(() => expect(counts().at(-1)).toEqual({ count: 2 }))
    await setStatus(t.services.db, 'demo:1', 'done')
    await waitFor(() => expect(counts().at(-1)).toEqual({ count: 1 }))
    expect(document.title).toBe('(1) Earshot')
  })
})
