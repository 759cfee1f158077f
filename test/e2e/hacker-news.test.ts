import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { comment, startHnServer, story, type HnServer } from '../fixtures/hn-server'
import { showAllMentions, sourceListed, startApp, type AppSession } from './harness'

/* Hacker News, end to end: add it against a loopback Algolia stand-in and hear its stories and
   comments in the queue, linked to the item on news.ycombinator.com. */

const ago = (minutes: number) => Math.floor(Date.now() / 1000) - minutes * 60

let app: AppSession
let hn: HnServer

const hnRowIds = () => app.queueIds('hn:')

beforeAll(async () => {
  hn = await startHnServer([
    story(41699000, ago(40), { title: 'Acme Cloud raises prices 40%', author: 'pg' }),
    comment(
      41700099,
      ago(20),
      '<p>We moved off Acme last year &amp; never looked back.<p>It&#x27;s cheaper elsewhere.',
    ),
    story(41699500, ago(10), { title: 'Show HN: A bread timer', author: 'baker' }),
  ])
  app = await startApp('earshot-e2e-hn-')
})

afterAll(async () => {
  await app?.close()
  await hn?.close()
})

describe('Hacker News in the browser', () => {
  it('adds Hacker News for the brand and shows its stories and comments in the queue', async () => {
    const { page } = app
    await app.setUpBrand('Acme')
    await page.getByRole('button', { name: 'Sources' }).click()

    await page.getByLabel('Hacker News', { exact: true }).check()
    await expect
      .poll(() => page.getByLabel('Search for').getAttribute('placeholder'))
      .toBe('Uses the brand profile: Acme')
    await page.getByText('Advanced: API address').click()
    await page.getByLabel('API address').fill(hn.origin)
    await page.getByRole('button', { name: 'Add Hacker News' }).click()

    const list = await sourceListed(page, 'Hacker News', 2)
    expect(await list.textContent()).toContain('Searching for the brand profile')

    await showAllMentions(page)
    await expect
      .poll(async () => (await hnRowIds()).sort(), { timeout: 30_000 })
      .toEqual(['hn:41699000', 'hn:41700099'])
    // Every search asked the loopback server for the brand, stories and comments alike.
    const searches = hn.requests.filter((r) => r.path === '/api/v1/search_by_date')
    expect(searches.length).toBeGreaterThanOrEqual(2)
    expect(searches.every((r) => r.params.get('query') === 'Acme')).toBe(true)
    expect(searches.every((r) => r.params.get('tags') === '(story,comment)')).toBe(true)

    await page.locator('[data-mention-id="hn:41700099"]').click()
    const panel = page.getByLabel('Mention details')
    await expect.poll(() => panel.textContent()).toMatch(/never looked back/)
    expect(await panel.textContent()).toContain('https://news.ycombinator.com/item?id=41700099')
  })

  it('logged no errors in the page', () => {
    expect(app.errors).toEqual([])
  })
})
