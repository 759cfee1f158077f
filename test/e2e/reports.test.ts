import { mkdir, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type AppSession } from './harness'

/*
 * Reports on the web host, fed by the Demo source: the figures are computed in the report worker
 * from what the page stored, and each opens the mentions behind it.
 */

let app: AppSession
/** Screenshots to look at, light and dark; outside the repository. */
const shots = process.env.EARSHOT_SHOTS ?? join(tmpdir(), 'earshot-reports')

beforeAll(async () => {
  await mkdir(shots, { recursive: true })
  app = await startApp('earshot-e2e-reports-')
})

afterAll(async () => {
  await app?.close()
})

describe('Reports in the browser', () => {
  it('shows volume and sentiment from the Demo mentions and opens the mentions behind a bar', async () => {
    const { page } = app
    await app.setUpBrand('Acme')
    // The Demo speaks every few seconds; three mentions make a report worth reading.
    await expect
      .poll(async () => (await app.queueIds('demo:')).length, { timeout: 60_000 })
      .toBeGreaterThanOrEqual(3)

    await page.getByRole('button', { name: 'Reports' }).click()
    const report = page.getByRole('region', { name: 'Reports' })
    await expect.poll(() => report.getAttribute('aria-busy'), { timeout: 30_000 }).toBe('false')
    expect(await page.locator('.report__range').textContent()).toMatch(/[1-9]\d* mentions/)

    const volume = page.getByRole('region', { name: 'Volume per day, by source' })
    const volumeBars = volume.locator('.recharts-bar-rectangle path')
    await expect.poll(() => volumeBars.count()).toBeGreaterThan(0)
    const sentiment = page.getByRole('region', { name: 'Sentiment over time' })
    await expect
      .poll(() => sentiment.locator('.recharts-bar-rectangle path').count())
      .toBeGreaterThan(0)
    const staffing = page.getByRole('region', { name: 'Staffing' })
    expect(await staffing.textContent()).toMatch(/conversations a day per community/)

    // The report scrolls inside its pane: a tall window shows all of it at once.
    await page.setViewportSize({ width: 1440, height: 2300 })
    await page.screenshot({ path: join(shots, 'reports-light.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(shots, 'reports-dark.png') })
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1440, height: 900 })

    // The last bar is today's Demo volume: it opens those mentions.
    await volumeBars.last().click()
    const drill = page.getByRole('complementary', { name: 'Mentions behind the figure' })
    await expect.poll(() => drill.locator('.drill__count').textContent()).toMatch(/^\d+ mentions?/)
    const heading = await drill.getByRole('heading').textContent()
    expect(heading).toMatch(/^Demo · /)
    const rows = drill.locator('.drill__row')
    await expect.poll(() => rows.count()).toBeGreaterThan(0)
    const counted = Number(
      /^(\d+)/.exec((await drill.locator('.drill__count').textContent()) ?? '')?.[1],
    )
    expect(await rows.count()).toBe(counted)

    // A row opens the mention in full, as in the queue.
    const firstText = (await rows.first().locator('.drill__text').textContent()) ?? ''
    await rows.first().click()
    await expect.poll(() => drill.textContent()).toContain(firstText.slice(0, 40))
    await expect
      .poll(() => drill.getByRole('button', { name: /Back to the list/ }).isVisible())
      .toBe(true)
    await page.screenshot({ path: join(shots, 'reports-drill-light.png') })
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.screenshot({ path: join(shots, 'reports-drill-dark.png') })

    // The report as CSV: every figure, today's Demo volume among them.
    await page.emulateMedia({ colorScheme: 'light' })
    await drill.getByRole('button', { name: 'Close' }).click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ])
    const csvPath = join(shots, 'report.csv')
    await download.saveAs(csvPath)
    const csv = await readFile(csvPath, 'utf8')
    expect(
      csv
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .slice(0, 2),
    ).toEqual(['Volume per day', 'day,total,Demo,brand,product,competitor'])
    expect(csv).toContain('Staffing')

    // Printed, the report stands alone: no header, no toolbar.
    await page.emulateMedia({ media: 'print' })
    expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false)
    expect(await page.getByRole('button', { name: 'Export CSV' }).isVisible()).toBe(false)
    expect(await volume.isVisible()).toBe(true)
    await page.screenshot({ path: join(shots, 'reports-print.png') })
    await page.pdf({ path: join(shots, 'report.pdf'), format: 'A4' })
    await page.emulateMedia({ media: 'screen' })

    expect(app.errors).toEqual([])
  })
})
