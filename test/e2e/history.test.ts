import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot, startApp, type AppSession } from './harness'

/*
 * History on the web host with the Demo source: search everything stored for a word, then a
 * phrase, open a hit in the context panel, go to its author's page. Screenshots go to
 * test-results/history/.
 */

let app: AppSession
let page: Page
// Looked at by hand; kept out of git with the other test results.
const shots = join(repoRoot, 'test-results', 'history')

/** The text of every hit on screen. */
const hitTexts = () =>
  page
    .locator('[aria-label="Search results"] .history__text')
    .evaluateAll((els) => els.map((el) => el.textContent ?? ''))

/** True once results are on screen and every one holds the pattern (the search has settled). */
const allHits = async (pattern: RegExp) => {
  const texts = await hitTexts()
  return texts.length > 0 && texts.every((text) => pattern.test(text))
}

beforeAll(async () => {
  await mkdir(shots, { recursive: true })
  app = await startApp('earshot-history-')
  page = app.page
  await app.setUpBrand('Acme')
})

afterAll(async () => {
  await app?.close()
})

describe('the History screen', () => {
  it('searches what the Demo said for a word and opens a hit with its context', async () => {
    // The Demo's first post asks for a refund; wait until it is stored.
    await expect
      .poll(async () => (await app.queueIds('demo:')).length, { timeout: 60_000, interval: 500 })
      .toBeGreaterThanOrEqual(3)
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'History' })
      .click()
    const search = page.getByRole('searchbox', { name: 'Search the history' })
    await search.waitFor()
    await search.fill('refund')
    await expect.poll(() => allHits(/refund/i), { timeout: 10_000 }).toBe(true)
    await page
      .locator('[aria-label="Search results"] .history__hit', { hasText: /refund/i })
      .first()
      .click()
    const details = page.getByRole('complementary', { name: 'Mention details' })
    await expect.poll(() => details.textContent(), { timeout: 10_000 }).toMatch(/refund/i)
    await page.screenshot({ path: join(shots, 'history-search.png') })
  })

  it('finds a quoted phrase only where the words stand together, accents ignored', async () => {
    const search = page.getByRole('searchbox', { name: 'Search the history' })
    await search.fill('"CHARGED TWICE"')
    await expect.poll(() => allHits(/charged twice/i), { timeout: 10_000 }).toBe(true)
    await search.fill('"twice charged"')
    await expect.poll(() => page.getByText('Nothing matches').count(), { timeout: 10_000 }).toBe(1)
    await search.fill('réfund')
    await expect.poll(() => allHits(/refund/i), { timeout: 10_000 }).toBe(true)
  })

  it('shows an author page from a selected hit, and the storage in use', async () => {
    const name = await page.locator('.history__selected button').first().textContent()
    await page.locator('.history__selected button').first().click()
    await expect
      .poll(() => page.locator('.history__title').textContent(), { timeout: 10_000 })
      .toBe(name?.replace('All by ', 'Everything by '))
    await expect.poll(() => page.locator('.history__quota').textContent()).toContain('used')
    await page.screenshot({ path: join(shots, 'history-author.png') })
    expect(app.errors).toEqual([])
  })
})
