import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, startApp, type AppSession } from './harness'

/* Toasts on the workspace sit beside the context panel, never over it: the composer's actions
   live at the panel's bottom, and an alert toast lingers for half a minute. */

let app: AppSession

beforeAll(async () => {
  app = await startApp('earshot-e2e-toasts-')
}, 60_000)

afterAll(async () => {
  await app?.close()
})

describe('toasts and the composer', () => {
  it('never cover the context panel, so the composer can always be reached', async () => {
    const { page } = app
    // Saving the brand toasts, and the demo's urgent complaint raises an alert toast.
    await app.setUpBrand('Acme')
    await page.getByRole('button', { name: 'Queue' }).click()
    await page.getByRole('tab', { name: /^All/ }).click()
    const row = page.locator('[aria-label="Mentions"] [data-mention-id]').first()
    await row.waitFor({ timeout: 30_000 })
    await row.click()
    const search = page.locator('#reply-area')
    await search.fill('hear')
    await search.press('Enter')
    const actions = page.locator('.composer__actions')
    await actions.scrollIntoViewIfNeeded()
    await page.locator('.toast').first().waitFor({ timeout: 30_000 })
    await page.screenshot({ path: join(repoRoot, 'test-results', 'toasts', 'composer.png') })

    const layout = await page.evaluate(() => {
      const panel = document.querySelector('#mention-details')!.getBoundingClientRect()
      const toasts = [...document.querySelectorAll('.toast')].map((t) => t.getBoundingClientRect())
      return {
        panelLeft: panel.left,
        toasts: toasts.map((t) => ({ left: t.left, right: t.right })),
      }
    })
    expect(layout.toasts.length).toBeGreaterThan(0)
    for (const toast of layout.toasts) {
      expect(toast.right).toBeLessThanOrEqual(layout.panelLeft)
      expect(toast.left).toBeGreaterThanOrEqual(0)
    }
    // And the buttons under where toasts used to sit take a click.
    await actions.getByRole('button', { name: 'Copy text' }).click({ trial: true, timeout: 2000 })
  }, 90_000)

  it('logged no errors in the page', () => {
    expect(app.errors).toEqual([])
  })
})
