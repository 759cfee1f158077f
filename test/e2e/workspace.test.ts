import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, startApp, type AppSession } from './harness'

/*
 * The responder's workspace on the web host with the Demo source, driven by the keyboard alone:
 * switch views with the palette, filter with /, tick rows with x, mark them done with e, watch the
 * counts move, open the shortcut sheet with ?. Screenshots go to test-results/workspace/.
 */

let app: AppSession
let page: Page
// Looked at by hand; kept out of git with the other test results.
const shots = join(repoRoot, 'test-results', 'workspace')

/** The count shown on a view's tab. */
const tabCount = async (name: string): Promise<number> => {
  const text = await page
    .getByRole('tab', { name: new RegExp(`^${name}`) })
    .locator('.tab__count')
    .textContent()
  return Number((text ?? '').replace(/[^0-9]/g, '') || 'NaN')
}
const selectedTab = () =>
  page.locator('[role="tab"][aria-selected="true"]').evaluate((el) => el.firstChild?.textContent)
const rowIds = () => app.queueIds('demo:')

beforeAll(async () => {
  await mkdir(shots, { recursive: true })
  app = await startApp('earshot-workspace-')
  page = app.page
  await app.setUpBrand('Acme')
})

afterAll(async () => {
  await app?.close()
})

describe('the workspace, by keyboard', () => {
  it('starts on the Inbox and hears the Demo source', async () => {
    expect(await selectedTab()).toBe('Inbox')
    // The demo speaks every few seconds: wait for four mentions in all.
    await expect
      .poll(() => tabCount('All'), { timeout: 60_000, interval: 500 })
      .toBeGreaterThanOrEqual(4)
  })

  it('switches views with the command palette', async () => {
    await page.keyboard.press('Control+k')
    const palette = page.getByRole('dialog', { name: 'Command palette' })
    await palette.waitFor()
    await page.keyboard.type('go all')
    await page.screenshot({ path: join(shots, 'workspace-palette.png') })
    await page.keyboard.press('Enter')
    await expect.poll(() => palette.count()).toBe(0)
    expect(await selectedTab()).toBe('All')
    await expect.poll(async () => (await rowIds()).length).toBeGreaterThanOrEqual(4)
  })

  it('filters by words with /, and clears the filter', async () => {
    const all = await tabCount('All')
    await page.keyboard.press('/')
    await page.keyboard.type('zzzz-nothing-says-this')
    await expect
      .poll(() => page.getByText('No mention matches these filters').isVisible())
      .toBe(true)
    // Letters typed into the search are text, not shortcuts: nothing was ticked or done.
    expect(await page.getByRole('toolbar', { name: 'Bulk actions' }).count()).toBe(0)
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Backspace')
    await page.keyboard.press('Enter')
    await expect.poll(async () => (await rowIds()).length).toBeGreaterThanOrEqual(Math.min(all, 4))
  })

  it('ticks two rows with x and marks them done with e; the counts change', async () => {
    const doneBefore = await tabCount('Done')
    await page.keyboard.press('j')
    await page.keyboard.press('x')
    await page.keyboard.press('j')
    await page.keyboard.press('x')
    const bulk = page.getByRole('toolbar', { name: 'Bulk actions' })
    await expect.poll(() => bulk.textContent()).toMatch(/2 mentions ticked/)
    await page.screenshot({ path: join(shots, 'workspace-queue.png') })
    await page.keyboard.press('e')
    await expect.poll(() => tabCount('Done')).toBe(doneBefore + 2)
    await expect.poll(() => bulk.count()).toBe(0)
    // The audit log shows in the timeline of the mention under the cursor.
    const panel = page.getByLabel('Mention details')
    await expect.poll(() => panel.textContent()).toMatch(/→ Done/)
  })

  it('opens the shortcut sheet with ?, listing every shortcut', async () => {
    await page.keyboard.press('?')
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' })
    await sheet.waitFor()
    const text = (await sheet.textContent()) ?? ''
    for (const label of [
      'Next mention',
      'Mark done',
      'Snooze',
      'Route to a department',
      'Command palette',
    ]) {
      expect(text).toContain(label)
    }
    await page.screenshot({ path: join(shots, 'workspace-shortcuts.png') })
    await page.keyboard.press('Escape')
    await expect.poll(() => sheet.count()).toBe(0)
  })

  it('runs a palette command: go to Done shows the two handled mentions', async () => {
    await page.keyboard.press('Control+k')
    await page.keyboard.type('go to done')
    await page.keyboard.press('Enter')
    await expect.poll(selectedTab).toBe('Done')
    await expect.poll(async () => (await rowIds()).length).toBe(await tabCount('Done'))
    await page.screenshot({ path: join(shots, 'workspace-done.png') })
  })

  it('keeps the row under the eye in place when new mentions arrive, with an "N new" pill', async () => {
    await page.keyboard.press('Control+k')
    await page.keyboard.type('go to all')
    await page.keyboard.press('Enter')
    await expect.poll(selectedTab).toBe('All')
    const before = await tabCount('All')
    const [first] = await rowIds()
    const row = page.locator(`[data-mention-id="${first}"]`)
    const top = async () => (await row.boundingBox())?.y
    const topBefore = await top()
    // The demo speaks again within a few seconds; the new mention sorts above.
    await expect.poll(() => tabCount('All'), { timeout: 30_000 }).toBeGreaterThan(before)
    const pill = page.getByRole('button', { name: /^\d+ new$/ })
    await expect.poll(() => pill.isVisible()).toBe(true)
    expect(await top()).toBe(topBefore)
    await page.screenshot({ path: join(shots, 'workspace-new-pill.png') })
    await pill.click()
    await expect.poll(() => pill.count()).toBe(0)
    await expect.poll(async () => (await rowIds())[0]).not.toBe(first)
  })

  it('logged no errors in the page', () => {
    expect(app.errors).toEqual([])
  })
})
