import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Mention } from '../../src/shared/domain'
import {
  freePort,
  seedJournal,
  launchBrowser,
  openPage,
  startHost,
  stopHost,
  tempDir,
  type HostProcess,
} from './harness'

/*
 * A large catch-up in a real Chromium: 3,000 mentions wait in the journal when the page opens. The
 * page stores them as inflow rows and shows them at once, then spreads them into the tables; a
 * reload in the middle loses and repeats nothing, and the history search finds them afterwards.
 */

const TOTAL = 3000
const PER_BATCH = 50

/** Forum posts, a minute apart; every fourth one addressed to the brand. */
function post(n: number, start: number): Mention {
  const directed = n % 4 === 0
  return {
    id: `rss:https://forum.example/feed.xml#post-${n}`,
    sourceId: 'forum',
    platform: 'rss',
    url: `https://forum.example/posts/${n}`,
    author: { id: `rss:forum#user-${n % 97}`, name: `User ${n % 97}` },
    title: `Thread ${Math.floor(n / 10)}`,
    text: `${directed ? '@acme ' : ''}Acme order ${n} arrived, code word ${n === 1234 ? 'zephyrine' : 'parcel'}`,
    createdAt: start + n * 60_000,
    fetchedAt: start + n * 60_000 + 5_000,
    triage: {
      sentiment: { score: 0, comparative: 0, label: 'neutral', words: [] },
      directed,
      urgency: n % 50,
      reasons: [],
      matched: ['Acme'],
    },
  }
}

let browser: Browser
let context: BrowserContext
let page: Page
let host: HostProcess
let data: { path: string; remove: () => Promise<void> }
const errors: string[] = []

const tabCount = async (name: string) =>
  Number(
    (
      await page
        .getByRole('tab', { name: new RegExp(`^${name}`) })
        .locator('.tab__count')
        .textContent()
    )?.replace(/\D/g, ''),
  )

beforeAll(async () => {
  data = await tempDir('earshot-e2e-catch-up-')
  const start = Date.now() - TOTAL * 60_000
  await seedJournal(data.path, {
    total: TOTAL,
    batch: PER_BATCH,
    sourceId: 'forum',
    make: (n) => post(n, start),
  })
  host = await startHost(await freePort(), data.path)
  browser = await launchBrowser()
  context = await browser.newContext({ viewport: { width: 1440, height: 900 } })
  ;({ page } = await openPage(context, host.url, errors))
}, 60_000)

afterAll(async () => {
  await browser?.close()
  if (host) await stopHost(host)
  await data?.remove()
})

describe('a large catch-up', () => {
  it('shows every delivered mention, counted in its views, survives a reload mid-way, and finds them by search', async () => {
    await expect.poll(() => tabCount('All'), { timeout: 30_000, interval: 50 }).toBe(TOTAL)
    expect(await tabCount('Inbox')).toBe(TOTAL / 4)
    // The reload comes while the tables are still being filled, on most runs; either way nothing
    // may be lost or repeated.
    await page.reload()
    await expect.poll(() => tabCount('All'), { timeout: 30_000, interval: 100 }).toBe(TOTAL)
    expect(await tabCount('Inbox')).toBe(TOTAL / 4)
    expect(await tabCount('Watching')).toBe(TOTAL - TOTAL / 4)
    // Every delivered mention ends up stored once, in the tables.
    await expect
      .poll(
        () =>
          page.evaluate(async () => {
            const opened = indexedDB.open('earshot')
            const db = await new Promise<IDBDatabase>((resolve, reject) => {
              opened.onsuccess = () => resolve(opened.result)
              opened.onerror = () => reject(opened.error ?? new Error('open failed'))
            })
            const count = (store: string) =>
              new Promise<number>((resolve, reject) => {
                const request = db.transaction(store).objectStore(store).count()
                request.onsuccess = () => resolve(request.result)
                request.onerror = () => reject(request.error ?? new Error('count failed'))
              })
            const counts = [await count('mentions'), await count('states'), await count('inflow')]
            db.close()
            return counts
          }),
        { timeout: 30_000, interval: 250 },
      )
      .toEqual([TOTAL, TOTAL, 0])
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('button', { name: 'History' })
      .click()
    await page.getByRole('searchbox', { name: 'Search the history' }).fill('zephyrine')
    await expect
      .poll(
        () =>
          page
            .locator('[aria-label="Search results"] .history__hit')
            .evaluateAll((hits) => hits.map((hit) => hit.textContent ?? '')),
        { timeout: 15_000 },
      )
      .toEqual([expect.stringContaining('Acme order 1234 arrived')])
    expect(errors).toEqual([])
  })
})
