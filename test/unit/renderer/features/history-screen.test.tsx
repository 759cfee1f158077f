import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { applyChange } from '../../../../src/renderer/src/db/actions'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { stateMirrorOf } from '../../../../src/renderer/src/db/state-mirror'
import { HistoryScreen } from '../../../../src/renderer/src/features/history/HistoryScreen'
import { Banners } from '../../../../src/renderer/src/shell/Banners'
import { ok } from '../../../../src/shared/result'
import { mention } from '../fixtures'
import { button, click, render, settle, testServices, type, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

// happy-dom lays nothing out: give the results list a viewport so the virtualizer renders rows.
const sizes = ['clientHeight', 'clientWidth'] as const
const originals = sizes.map((key) => Object.getOwnPropertyDescriptor(HTMLElement.prototype, key))
beforeAll(() => {
  for (const key of sizes) {
    Object.defineProperty(HTMLElement.prototype, key, {
      configurable: true,
      get(this: Element) {
        return this.classList.contains('history__list') ? 640 : 0
      },
    })
  }
})
afterAll(() => {
  sizes.forEach((key, index) => {
    const original = originals[index]
    if (original) Object.defineProperty(HTMLElement.prototype, key, original)
  })
})

async function screen() {
  const t = testServices()
  await ingestBatch(t.services.db, {
    seq: 1,
    sourceId: 'demo',
    mentions: [
      mention(1, { text: 'Where is my refund?' }),
      mention(2, { text: 'Lovely café, great service' }),
      mention(3, { text: 'Refunds take forever', author: { id: 'demo:ana', name: 'Ana' } }),
      mention(4, {
        text: 'Ana again: still no money back',
        author: { id: 'demo:ana', name: 'Ana' },
      }),
    ],
  })
  const view = await render(<HistoryScreen />, t.services)
  cleanup = view.unmount
  const shown = () =>
    [...view.container.querySelectorAll('[data-mention-id]')].map((row) =>
      row.getAttribute('data-mention-id'),
    )
  const status = () => view.container.querySelector('.history__status')?.textContent ?? ''
  return { ...t, view, shown, status }
}

describe('the History screen', () => {
  it('lists everything, then narrows as words are typed, prefix and diacritics included', async () => {
    const s = await screen()
    await waitFor(() => expect(s.status()).toContain('4 mentions'))
    const search = s.view.container.querySelector('#history-search') as HTMLInputElement
    await type(search, 'refun')
    await waitFor(() => expect(s.status()).toContain('2 mentions'))
    expect(s.shown().sort()).toEqual(['demo:1', 'demo:3'])
    await type(search, 'cafe')
    await waitFor(() => expect(s.shown()).toEqual(['demo:2']))
    await type(search, 'banana')
    await waitFor(() => expect(s.view.container.textContent).toContain('Nothing matches'))
  })

  it('opens a hit in the context panel and leads to the author page', async () => {
    const s = await screen()
    const search = s.view.container.querySelector('#history-search') as HTMLInputElement
    await type(search, 'forever')
    await waitFor(() => expect(s.shown()).toEqual(['demo:3']))
    const hit = s.view.container.querySelector('[data-mention-id="demo:3"] button') as HTMLElement
    await click(hit)
    expect(s.services.store.getState().selectedId).toBe('demo:3')
    await waitFor(() => button(s.view.container, 'All by Ana'))
    await click(button(s.view.container, 'All by Ana'))
    await waitFor(() => expect(s.view.container.textContent).toContain('Everything by Ana'))
    await waitFor(() => expect(s.shown()).toEqual(['demo:4', 'demo:3']))
  })
})

describe('the History screen with the states in memory', () => {
  it('follows the responder: a mention marked done joins a search filtered to done', async () => {
    const s = await screen()
    await stateMirrorOf(s.services.db).start()
    const search = s.view.container.querySelector('#history-search') as HTMLInputElement
    await type(search, 'refun')
    await waitFor(() => expect(s.shown().sort()).toEqual(['demo:1', 'demo:3']))
    const status = s.view.container.querySelector<HTMLSelectElement>('select[aria-label="Status"]')!
    await settle(() => {
      status.value = 'done'
      status.dispatchEvent(new Event('change', { bubbles: true }))
    })
    await waitFor(() => expect(s.view.container.textContent).toContain('Nothing matches'))
    await applyChange(s.services.db, ['demo:3'], { kind: 'status', status: 'done' })
    await waitFor(() => expect(s.shown()).toEqual(['demo:3']))
  })
})

describe('the offline banner', () => {
  it('says what is paused and what still works when the network is gone', async () => {
    const t = testServices()
    const view = await render(<Banners />, t.services)
    cleanup = view.unmount
    expect(view.container.textContent).not.toContain('Offline')
    const original = Object.getOwnPropertyDescriptor(Navigator.prototype, 'onLine')
    Object.defineProperty(navigator, 'onLine', { configurable: true, get: () => false })
    try {
      await settle(() => window.dispatchEvent(new Event('offline')))
      expect(view.container.textContent).toContain('Sources are not checked')
      expect(view.container.textContent).toContain('Search, History and your queue work')
    } finally {
      delete (navigator as { onLine?: boolean }).onLine
      if (original) Object.defineProperty(Navigator.prototype, 'onLine', original)
    }
    await settle(() => window.dispatchEvent(new Event('online')))
    expect(view.container.textContent).not.toContain('Offline')
  })

  it('filters by the departments configured on the Routing screen, not the defaults', async () => {
    const t = testServices({
      'routing:get': () =>
        ok({
          rules: [],
          departments: [{ id: 'legal', name: 'Legal', followUpHours: 4 }],
        }),
    })
    const view = await render(<HistoryScreen />, t.services)
    cleanup = view.unmount
    const options = () =>
      [...view.container.querySelectorAll('select[aria-label="Department"] option')].map(
        (option) => option.textContent,
      )
    await waitFor(() => expect(options()).toEqual(['Any department', 'Legal']))
  })
})
