import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type AppSession } from './harness'

/*
 * The Notifications screen in the real page against the built web host: reached from the header,
 * edited, saved to main, and read back after a reload.
 */

let app: AppSession

beforeAll(async () => {
  app = await startApp('earshot-e2e-notify-')
  await app.setUpBrand('Acme')
}, 60_000)
afterAll(async () => {
  await app?.close()
})

describe('notification settings', () => {
  it('are edited in the page, saved in main, and survive a reload', async () => {
    const { page } = app
    await page.getByRole('button', { name: 'Notifications', exact: true }).click()
    await page.getByRole('heading', { name: 'Notifications', exact: true }).waitFor()
    await page.getByLabel('Urgency threshold', { exact: true }).fill('65')
    await page.getByLabel('Keep quiet at night', { exact: true }).check()
    await page.getByLabel('From', { exact: true }).fill('21:30')
    await page.getByLabel('Spikes', { exact: true }).uncheck()
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Saved. It applies to the next mention heard.').waitFor()
    // For a person to look at: EARSHOT_SCREENSHOT=/tmp/notifications.png
    const shot = process.env.EARSHOT_SCREENSHOT
    if (shot) {
      await page.screenshot({ path: shot.replace(/\.png$/, '-saved.png') })
      await page.locator('.app__main').evaluate((main) => main.scrollTo(0, 0))
      await page.screenshot({ path: shot })
    }

    await page.reload()
    await page.getByRole('button', { name: 'Notifications', exact: true }).click()
    await page.getByRole('heading', { name: 'Notifications', exact: true }).waitFor()
    expect(await page.getByLabel('Urgency threshold', { exact: true }).inputValue()).toBe('65')
    expect(await page.getByLabel('From', { exact: true }).inputValue()).toBe('21:30')
    expect(await page.getByLabel('Keep quiet at night', { exact: true }).isChecked()).toBe(true)
    expect(await page.getByLabel('Spikes', { exact: true }).isChecked()).toBe(false)
    expect(app.errors).toEqual([])
  }, 60_000)
})
