import { afterEach, describe, expect, it } from 'vitest'
import { ingestBatch } from '../../../../src/renderer/src/db/ingest'
import { QueueScreen } from '../../../../src/renderer/src/features/queue/QueueScreen'
import { mention } from '../fixtures'
import { press, render, testServices, waitFor } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => {
  cleanup?.()
  localStorage.clear()
})

/** Four directed mentions (even numbers are directed): all in Inbox. */
async function workspace() {
  const t = testServices()
  await ingestBatch(t.services.db, {
    seq: 1,
    sourceId: 'demo',
    mentions: [mention(2), mention(4), mention(6), mention(8)],
  })
  const view = await render(<QueueScreen />, t.services)
  cleanup = view.unmount
  await waitFor(() => expect(tabCount(view.container, 'Inbox')).toBe('4'))
  return { ...t, view }
}

const tabCount = (container: HTMLElement, name: string) =>
  [...container.querySelectorAll('[role="tab"]')]
    .find((tab) => tab.firstChild?.textContent === name)
    ?.querySelector('.tab__count')?.textContent

describe('the workspace keyboard', () => {
  it('ticks rows with x and marks them all done with e; the counts follow', async () => {
    const { services, view } = await workspace()
    const body = document.body
    await press(body, 'j')
    await waitFor(() => expect(services.store.getState().selectedId).toBe('demo:8'))
    await press(body, 'x')
    await press(body, 'j')
    await waitFor(() => expect(services.store.getState().selectedId).toBe('demo:6'))
    await press(body, 'x')
    expect(services.store.getState().checked).toEqual(['demo:8', 'demo:6'])
    await waitFor(() => expect(view.container.textContent).toContain('2 mentions ticked'))
    await press(body, 'e')
    await waitFor(() => expect(tabCount(view.container, 'Done')).toBe('2'))
    expect(tabCount(view.container, 'Inbox')).toBe('2')
    expect(services.store.getState().checked).toEqual([])
    expect(await services.db.actions.count()).toBe(2)
  })

  it('takes no shortcut while typing in the search field', async () => {
    const { services, view } = await workspace()
    const search = view.container.querySelector<HTMLInputElement>('#queue-search')!
    await press(body(), 'j')
    await waitFor(() => expect(services.store.getState().selectedId).toBe('demo:8'))
    search.focus()
    for (const key of ['e', 'x', 'j', 's', 't', '?']) await press(search, key)
    expect(services.store.getState().selectedId).toBe('demo:8')
    expect(services.store.getState().checked).toEqual([])
    expect(view.container.querySelector('[role="dialog"]')).toBeNull()
    expect(await services.db.actions.count()).toBe(0)
  })

  it('opens the shortcut sheet with ?, and routes with t and a number', async () => {
    const { services, view } = await workspace()
    await press(body(), '?')
    await waitFor(() =>
      expect(view.container.querySelector('[role="dialog"]')?.getAttribute('aria-label')).toBe(
        'Keyboard shortcuts',
      ),
    )
    expect(view.container.textContent).toContain('Command palette')
    await press(view.container.querySelector<HTMLElement>('[role="dialog"]')!, 'Escape')
    await waitFor(() => expect(view.container.querySelector('[role="dialog"]')).toBeNull())

    await press(body(), 'j')
    await waitFor(() => expect(services.store.getState().selectedId).toBe('demo:8'))
    await press(body(), 't')
    const picker = await waitFor(() =>
      view.container.querySelector<HTMLElement>('[role="dialog"]')!,
    )
    expect(picker.getAttribute('aria-label')).toBe('Route 1 mention to a department')
    await press(picker.querySelector('button')!, '3')
    await waitFor(() => expect(tabCount(view.container, 'Waiting on department')).toBe('1'))
    expect(await services.db.states.get('demo:8')).toMatchObject({
      status: 'waiting',
      department: 'PR',
    })
  })
})

const body = () => document.body
