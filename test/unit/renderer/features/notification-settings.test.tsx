import { afterEach, describe, expect, it } from 'vitest'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { Toasts } from '../../../../src/renderer/src/features/alerts/Toasts'
import { useAlertEvents } from '../../../../src/renderer/src/features/alerts/use-alert-events'
import { ContextPanel } from '../../../../src/renderer/src/features/context/ContextPanel'
import { QueueScreen } from '../../../../src/renderer/src/features/queue/QueueScreen'
import { NotificationSettings } from '../../../../src/renderer/src/features/settings/NotificationSettings'
import {
  defaultNotificationPolicy,
  type NotificationPolicy,
} from '../../../../src/shared/alert-policy'
import { ok } from '../../../../src/shared/result'
import { mention } from '../fixtures'
import { button, click, field, render, settle, testServices, type, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

/** The checkbox whose label starts with `text`. */
function checkbox(container: HTMLElement, text: string): HTMLInputElement {
  const label = [...container.querySelectorAll('label')].find((candidate) =>
    candidate.textContent?.startsWith(text),
  )
  const input = label?.htmlFor ? container.querySelector(`[id="${label.htmlFor}"]`) : null
  if (!(input instanceof HTMLInputElement)) throw new Error(`No checkbox "${text}"`)
  return input
}

function settingsHost() {
  let stored: NotificationPolicy = defaultNotificationPolicy()
  const t = testServices({
    'alerts:getPolicy': () => ok(stored),
    'alerts:savePolicy': (input: never) => {
      stored = (input as { policy: NotificationPolicy }).policy
      return ok(stored)
    },
  })
  t.services.store.getState().setSources([
    {
      config: {
        id: 'rss-blog',
        kind: 'rss',
        name: 'Acme blog',
        url: 'https://blog.example/feed.xml',
        paused: false,
        intervalSec: 900,
        createdAt: 0,
      },
      health: {
        state: 'live',
        lastSuccessAt: null,
        lastErrorAt: null,
        lastError: null,
        itemsTotal: 0,
        nextCheckAt: null,
        consecutiveFailures: 0,
      },
    },
  ])
  return { ...t, saved: () => stored }
}

describe('the Notifications screen', () => {
  it('edits threshold, quiet hours, a source and repeats, and saves them to main', async () => {
    const t = settingsHost()
    const view = await render(<NotificationSettings />, t.services)
    cleanup = view.unmount
    await waitFor(() => expect(view.container.textContent).toContain('Quiet hours'))
    expect(button(view.container, 'Save').disabled).toBe(true)

    await type(field(view.container, 'Urgency threshold'), '60')
    await click(checkbox(view.container, 'Keep quiet at night'))
    await type(field(view.container, 'From'), '21:30')
    await click(checkbox(view.container, 'Acme blog'))
    await click(checkbox(view.container, 'Spikes'))
    await type(field(view.container, 'At most (times)'), '5')
    await click(button(view.container, 'Save'))

    await waitFor(() => expect(view.container.textContent).toContain('Saved.'))
    expect(t.saved()).toEqual({
      ...defaultNotificationPolicy(),
      urgencyThreshold: 60,
      quietHours: { enabled: true, start: '21:30', end: '07:00' },
      perSource: { 'rss-blog': false },
      perSeverity: { urgent: true, crisis: true, spike: false, silence: true },
      repeat: { everyMinutes: 15, maxTimes: 5 },
    })
  })

  it('edits the spike thresholds, a decimal ratio included, and refuses a ratio of 1', async () => {
    const t = settingsHost()
    const view = await render(<NotificationSettings />, t.services)
    cleanup = view.unmount
    await waitFor(() => expect(view.container.textContent).toContain('Times the usual'))
    await type(field(view.container, 'At least (mentions an hour)'), '25')
    await type(field(view.container, 'Times the usual'), '1')
    await click(button(view.container, 'Save'))
    await waitFor(() => expect(view.container.querySelector('[role="alert"]')).not.toBeNull())
    expect(t.fake.calls.some((call) => call.name === 'alerts:savePolicy')).toBe(false)

    await type(field(view.container, 'Times the usual'), '2.5')
    await type(field(view.container, 'Quiet after a spike (minutes)'), '60')
    await click(button(view.container, 'Save'))
    await waitFor(() => expect(view.container.textContent).toContain('Saved.'))
    expect(t.saved().spikes).toEqual({
      minCount: 25,
      ratio: 2.5,
      z: 3,
      coolDownMinutes: 60,
      shareJumpPercent: 25,
    })
  })

  it('refuses a threshold out of range without asking main', async () => {
    const t = settingsHost()
    const view = await render(<NotificationSettings />, t.services)
    cleanup = view.unmount
    await waitFor(() => expect(view.container.textContent).toContain('Quiet hours'))
    await type(field(view.container, 'Urgency threshold'), '0')
    await click(button(view.container, 'Save'))
    await waitFor(() => expect(view.container.querySelector('[role="alert"]')).not.toBeNull())
    expect(t.fake.calls.some((call) => call.name === 'alerts:savePolicy')).toBe(false)
  })
})

function Console() {
  useAlertEvents()
  return (
    <>
      <QueueScreen />
      <ContextPanel />
      <Toasts />
    </>
  )
}

describe('alerts in the console', () => {
  it('opens the queue filtered to the posts behind a spike, then the whole queue again', async () => {
    const t = testServices()
    await ingestBatch(t.services.db, {
      seq: 1,
      sourceId: 'demo',
      mentions: [
        mention(1, { text: 'Acme outage again' }),
        mention(2, { text: 'login broken at Acme' }),
        mention(3, { text: 'unrelated nice day' }),
      ],
    })
    const view = await render(<Console />, t.services)
    cleanup = view.unmount
    await settle(() =>
      t.fake.emit('alerts:notify', {
        kind: 'spike',
        mentionId: 'demo:2',
        mentionIds: ['demo:1', 'demo:2'],
        query: 'outage login',
        title: 'Spike: Acme',
        body: 'Acme: 40 mentions this hour, usually 5 (outage, login).',
      }),
    )
    await waitFor(() => expect(view.container.textContent).toContain('Spike: Acme'))
    await click(view.container.querySelector<HTMLButtonElement>('.toast__open')!)

    const list = await waitFor(() => {
      const found = view.container.querySelector('[aria-label="Posts behind the alert"]')
      expect(found?.querySelectorAll('li')).toHaveLength(2)
      return found!
    })
    expect(list.textContent).toContain('Acme outage again')
    expect(list.textContent).not.toContain('unrelated nice day')
    expect(t.services.store.getState().selectedId).toBe('demo:2')

    await click(button(view.container, 'Show the whole queue'))
    expect(view.container.querySelector('[aria-label="Posts behind the alert"]')).toBeNull()
  })

  it('opens the filtered queue when the OS notification of a spike is clicked', async () => {
    const t = testServices()
    await ingestBatch(t.services.db, {
      seq: 1,
      sourceId: 'demo',
      mentions: [mention(5), mention(6), mention(7)],
    })
    const view = await render(<Console />, t.services)
    cleanup = view.unmount
    await settle(() =>
      t.fake.emit('ui:openMention', {
        mentionId: 'demo:6',
        mentionIds: ['demo:5', 'demo:6'],
        title: 'Negative spike: Acme',
      }),
    )
    await waitFor(() =>
      expect(
        view.container.querySelectorAll('[aria-label="Posts behind the alert"] li'),
      ).toHaveLength(2),
    )
    expect(view.container.textContent).toContain('Negative spike: Acme')
    expect(t.services.store.getState().selectedId).toBe('demo:6')
  })

  it('acknowledges a mention when it is opened and when it is marked done', async () => {
    const t = testServices()
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [mention(4)] })
    const view = await render(<ContextPanel />, t.services)
    cleanup = view.unmount
    const acks = () =>
      t.fake.calls.filter((call) => call.name === 'alerts:acknowledge').map((call) => call.input)
    expect(acks()).toEqual([])
    await settle(() => t.services.store.getState().select('demo:4'))
    await waitFor(() => expect(acks()).toEqual([{ mentionId: 'demo:4' }]))
    await click(button(view.container, 'Mark done'))
    await waitFor(() => expect(acks()).toHaveLength(2))
  })
})
