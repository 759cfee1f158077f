import { afterEach, describe, expect, it } from 'vitest'
import { AuthorChip, DateRangeFields } from '../../../../src/renderer/src/components/FilterFields'
import { button, click, render, testServices, type } from '../render'

let cleanup: (() => void) | undefined
afterEach(() => cleanup?.())

describe('the shared filter fields', () => {
  it('narrow by whole local days, from the first to the last millisecond', async () => {
    const patches: unknown[] = []
    const view = await render(
      <DateRangeFields from={undefined} to={undefined} onChange={(p) => void patches.push(p)} />,
      testServices().services,
    )
    cleanup = view.unmount
    const input = (label: string) =>
      view.container.querySelector<HTMLInputElement>(`input[aria-label="${label}"]`)!
    await type(input('From date'), '2026-11-02')
    await type(input('To date'), '2026-11-08')
    expect(patches).toEqual([
      { from: new Date(2026, 10, 2).getTime() },
      { to: new Date(2026, 10, 8, 23, 59, 59, 999).getTime() },
    ])
  })

  it('show the range they hold, and an emptied field lets any day through', async () => {
    const from = new Date(2026, 0, 31, 15).getTime()
    const patches: unknown[] = []
    const view = await render(
      <DateRangeFields from={from} to={undefined} onChange={(p) => void patches.push(p)} />,
      testServices().services,
    )
    cleanup = view.unmount
    expect(
      view.container.querySelector<HTMLInputElement>('input[aria-label="From date"]')?.value,
    ).toBe('2026-01-31')
  })

  it('name the author a list is narrowed to, and let any author through again', async () => {
    let cleared = 0
    const view = await render(
      <AuthorChip name="Ana" onClear={() => void (cleared += 1)} />,
      testServices().services,
    )
    cleanup = view.unmount
    expect(view.container.textContent).toContain('By Ana')
    await click(button(view.container, 'Clear the author filter'))
    expect(cleared).toBe(1)
  })
})
