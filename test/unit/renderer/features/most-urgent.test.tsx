import { afterEach, describe, expect, it } from 'vitest'
import { applyChange } from '../../../../src/renderer/src/db/actions'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { mostUrgentMentionId } from '../../../../src/renderer/src/features/alerts/reveal-mention'
import { useAlertEvents } from '../../../../src/renderer/src/features/alerts/use-alert-events'
import { mention } from '../fixtures'
import { render, settle, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

function Listener() {
  useAlertEvents()
  return null
}

const at = (n: number, urgency: number, directed: boolean) =>
  mention(n, { triage: { ...mention(n).triage, urgency, directed } })

describe('the global shortcut in the page', () => {
  it('opens the queue on the most urgent mention still to handle', async () => {
    const t = testServices()
    const { db, store } = t.services
    await ingestBatch(db, {
      seq: 1,
      sourceId: 'demo',
      mentions: [at(1, 75, true), at(2, 95, false), at(3, 99, true), at(4, 20, true)],
    })
    // The 99 was answered already: the 95 (overheard, but urgent) comes first.
    await applyChange(db, ['demo:3'], { kind: 'status', status: 'done' })
    store.getState().showScreen('history')
    store.getState().setView('done')
    const view = await render(<Listener />, t.services)
    cleanup = view.unmount

    await settle(() => t.fake.emit('ui:openMostUrgent', {}))
    await waitFor(() => expect(store.getState().selectedId).toBe('demo:2'))
    expect(store.getState().screen).toBe('queue')
    // Done does not hold it: the view changes to one that does.
    expect(store.getState().view).not.toBe('done')
  })

  it('falls back to the most urgent in Inbox, and to the empty Inbox', async () => {
    const t = testServices()
    const { db } = t.services
    expect(await mostUrgentMentionId(t.services)).toBeNull()
    await ingestBatch(db, {
      seq: 1,
      sourceId: 'demo',
      mentions: [at(1, 30, true), at(2, 50, true), at(3, 60, false)],
    })
    expect(await mostUrgentMentionId(t.services)).toBe('demo:2')

    const view = await render(<Listener />, t.services)
    cleanup = view.unmount
    await applyChange(db, ['demo:1', 'demo:2'], { kind: 'status', status: 'done' })
    t.services.store.getState().showScreen('reports')
    await settle(() => t.fake.emit('ui:openMostUrgent', {}))
    await waitFor(() => expect(t.services.store.getState().screen).toBe('queue'))
    expect(t.services.store.getState().view).toBe('inbox')
    expect(t.services.store.getState().selectedId).toBeNull()
  })
})
