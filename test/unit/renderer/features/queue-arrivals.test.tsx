import { afterEach, describe, expect, it } from 'vitest'
import { receiveBatches, settleInflow } from '../../../../src/renderer/src/db/inflow'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { queuePosition, type QueueSpec } from '../../../../src/renderer/src/db/queue-query'
import { stateMirrorOf } from '../../../../src/renderer/src/db/state-mirror'
import { useUnhandledCount } from '../../../../src/renderer/src/features/alerts/use-unhandled-count'
import { QueueScreen } from '../../../../src/renderer/src/features/queue/QueueScreen'
import { mention } from '../fixtures'
import { sameData } from '../../../../src/renderer/src/features/queue/stable-rows'
import { useMatches, useQueueWindow } from '../../../../src/renderer/src/features/queue/use-queue'
import { render, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => {
  cleanup?.()
  localStorage.clear()
})

const tabCount = (container: HTMLElement, name: string) =>
  [...container.querySelectorAll('[role="tab"]')]
    .find((tab) => tab.firstChild?.textContent === name)
    ?.querySelector('.tab__count')?.textContent

const inbox: QueueSpec = { view: 'inbox', sort: 'time', filters: {} }

/** The Inbox's first window as the queue's hooks give it to the grid. */
function InboxWindow() {
  const matches = useMatches(inbox)
  const window = useQueueWindow(inbox, matches?.ids ?? null, 0, 50)
  return <output>{window?.rows.map((row) => row.mention.id).join(',')}</output>
}

const probe = (container: HTMLElement) => container.querySelector('output')?.textContent

describe('mentions just delivered, before they are spread into the tables', () => {
  it('are in the plain Inbox, its count and its positions, and stay once spread', async () => {
    const t = testServices()
    const { db } = t.services
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: [mention(2)] })
    const view = await render(
      <>
        <QueueScreen />
        <InboxWindow />
      </>,
      t.services,
    )
    cleanup = view.unmount
    await waitFor(() => expect(tabCount(view.container, 'Inbox')).toBe('1'))
    await stateMirrorOf(db).start()
    // Nothing spreads them here: no spreader runs in this test.
    await receiveBatches(db, [{ seq: 2, sourceId: 'demo', mentions: [mention(4), mention(5)] }])
    expect(await db.states.count()).toBe(1)
    await waitFor(() => expect(tabCount(view.container, 'Inbox')).toBe('2'))
    expect(tabCount(view.container, 'All')).toBe('3')
    // The Inbox's first window, as the grid reads it, leads with the new one.
    await waitFor(() => expect(probe(view.container)).toBe('demo:4,demo:2'))
    // Newest first: the new one leads the Inbox.
    expect(await queuePosition(db, 'inbox', 'time', 'demo:4')).toBe(0)
    expect(await queuePosition(db, 'inbox', 'time', 'demo:2')).toBe(1)
    await settleInflow(db)
    expect(await db.states.count()).toBe(3)
    await waitFor(() => expect(tabCount(view.container, 'Inbox')).toBe('2'))
    expect(tabCount(view.container, 'All')).toBe('3')
    expect(await queuePosition(db, 'inbox', 'time', 'demo:4')).toBe(0)
    expect(probe(view.container)).toBe('demo:4,demo:2')
  })

  it('never drop out of the counts while they are spread', async () => {
    const t = testServices()
    const { db } = t.services
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: [mention(2)] })
    const view = await render(<QueueScreen />, t.services)
    cleanup = view.unmount
    await waitFor(() => expect(tabCount(view.container, 'All')).toBe('1'))
    await stateMirrorOf(db).start()
    await receiveBatches(db, [{ seq: 2, sourceId: 'demo', mentions: [mention(4), mention(5)] }])
    await waitFor(() => expect(tabCount(view.container, 'All')).toBe('3'))
    // Every count the All tab shows from here on. Until the spread, the disk's counts miss the
    // two; the moment the inflow empties they must not be shown, or the queue would lose its
    // last rows until the disk is read again.
    const shown: (string | undefined)[] = []
    const watch = new MutationObserver(() => shown.push(tabCount(view.container, 'All')))
    watch.observe(view.container, { subtree: true, childList: true, characterData: true })
    await settleInflow(db)
    await new Promise((resolve) => setTimeout(resolve, 100))
    watch.disconnect()
    expect(await db.states.count()).toBe(3)
    expect(shown.filter((count) => count !== '3')).toEqual([])
    expect(tabCount(view.container, 'All')).toBe('3')
  })

  it('are in the tray count of unhandled urgent mentions', async () => {
    const t = testServices()
    const { db } = t.services
    // Urgency 78: urgent.
    await ingestBatch(db, { seq: 1, sourceId: 'demo', mentions: [mention(6)] })
    function Tray() {
      return <output>{useUnhandledCount()}</output>
    }
    const view = await render(<Tray />, t.services)
    cleanup = view.unmount
    await stateMirrorOf(db).start()
    // Urgency 91 and 26: one more urgent, not yet spread.
    await receiveBatches(db, [{ seq: 2, sourceId: 'demo', mentions: [mention(7), mention(2)] }])
    await waitFor(() => expect(view.container.querySelector('output')?.textContent).toBe('2'))
    expect(document.title).toBe('(2) Earshot')
    const sent = t.fake.calls.filter((call) => call.name === 'alerts:setUnhandled')
    expect(sent.at(-1)?.input).toEqual({ count: 2 })
    expect(await db.states.count()).toBe(1)
    // Spread: the badge must not dip to the disk's older count on the way.
    const before = t.fake.calls.length
    await settleInflow(db)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await db.states.count()).toBe(3)
    const counts = t.fake.calls
      .slice(before)
      .filter((call) => call.name === 'alerts:setUnhandled')
      .map((call) => call.input)
    expect(counts.filter((input) => !sameData(input, { count: 2 }))).toEqual([])
    expect(document.title).toBe('(2) Earshot')
  })
})
