import { afterEach, describe, expect, it } from 'vitest'
import { applyChange } from '../../../../src/renderer/src/db/actions'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { ContextPanel } from '../../../../src/renderer/src/features/context/ContextPanel'
import { mention } from '../fixtures'
import { button, click, render, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

const ana = { id: 'x:ana', name: 'Ana Ruiz', handle: '@ana' }

describe('the context panel history', () => {
  it("shows the mention's timeline from the audit log, live", async () => {
    const t = testServices()
    await ingestBatch(t.services.db, { seq: 1, sourceId: 'demo', mentions: [mention(2)] })
    t.services.store.getState().select('demo:2')
    const view = await render(<ContextPanel />, t.services)
    cleanup = view.unmount
    const timeline = () =>
      view.container.querySelector('[aria-label="Timeline"]')?.textContent ?? ''
    await waitFor(() => expect(timeline()).toContain('Nothing done with this mention yet.'))
    await applyChange(t.services.db, ['demo:2'], { kind: 'route', department: 'PR' })
    await waitFor(() => expect(timeline()).toContain('Routed to PR'))
    await applyChange(t.services.db, ['demo:2'], { kind: 'status', status: 'done' })
    await waitFor(() => expect(timeline()).toContain('Waiting on department → Done'))
  })

  it("counts the author's other mentions on any source and filters the queue by them", async () => {
    const t = testServices()
    await ingestBatch(t.services.db, {
      seq: 1,
      sourceId: 'demo',
      mentions: [
        mention(2, { author: ana }),
        mention(4, { author: ana, sourceId: 'rss-1', platform: 'rss' }),
        mention(6, { author: ana }),
        mention(8),
      ],
    })
    t.services.store.getState().select('demo:4')
    const view = await render(<ContextPanel />, t.services)
    cleanup = view.unmount
    await waitFor(() =>
      expect(view.container.textContent).toContain(
        '2 other mentions by this author, on any source.',
      ),
    )
    await click(button(view.container, 'Show all by Ana Ruiz'))
    const state = t.services.store.getState()
    expect([state.view, state.filters]).toEqual([
      'all',
      { authorId: 'x:ana', authorName: 'Ana Ruiz' },
    ])
  })
})
