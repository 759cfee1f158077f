import { mkdir, readdir } from 'node:fs/promises'
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

/** How many mentions the page has stored, read from IndexedDB itself. */
const mentionCount = () =>
  page.evaluate(async () => {
    const open = indexedDB.open('earshot')
    const db = await new Promise<IDBDatabase>(
      (resolve) => (open.onsuccess = () => resolve(open.result)),
    )
    const count = await new Promise<number>((resolve) => {
      const request = db.transaction('mentions').objectStore('mentions').count()
      request.onsuccess = () => resolve(request.result)
    })
    db.close()
    return count
  })

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

  it('backs up into the data folder through the socket, lists it and restores from it', async () => {
    await page.getByRole('button', { name: 'Back up…' }).click()
    const dialog = page.getByRole('dialog', { name: 'Back up' })
    await expect.poll(() => dialog.textContent(), { timeout: 10_000 }).toMatch(/backups/)
    await dialog.getByRole('button', { name: 'Back up now' }).click()
    // The schedule (daily by default, due at once on a new install) may have made one already.
    const restore = dialog.getByRole('button', { name: /^Restore the backup of / })
    await expect.poll(() => dialog.textContent(), { timeout: 30_000 }).not.toContain('Backing up…')
    await expect.poll(() => restore.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1)
    await expect.poll(() => dialog.textContent()).toMatch(/Last backup: /)
    // The file is in the data dir the host was started on, named for its time, gzipped.
    const folder = /kept in (.+backups)/.exec((await dialog.textContent()) ?? '')?.[1]
    const names = (await readdir(folder!)).filter((name) => !name.startsWith('.upload-'))
    expect(names.length).toBe(await restore.count())
    for (const name of names)
      expect(name).toMatch(/^earshot-\d{4}-\d{2}-\d{2}T[\d-]+Z(-\d+)?\.json\.gz$/)
    const stored = await mentionCount()
    await restore.first().click()
    await dialog.getByRole('button', { name: 'Replace and restore' }).click()
    await expect
      .poll(() => dialog.textContent(), { timeout: 30_000 })
      .toContain('Restored. Your history is the backup’s now.')
    expect(stored).toBeGreaterThan(0)
    // The Demo keeps adding mentions, so the count after restoring is at least the backup's.
    expect(await mentionCount()).toBeGreaterThan(0)
    await page.screenshot({ path: join(shots, 'history-backup.png') })
    expect(app.errors).toEqual([])
  })
})
