import { readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startFeed, type FeedFixture } from './feed-fixture'
import { showAllMentions, sourceListed, startApp, tempDir, type AppSession } from './harness'

/* Feeds in and out as OPML through the web host: a reader's export chosen in the file picker
   becomes sources (main reads it in its parse worker), whose mentions reach the queue; the feeds go
   back out as a downloaded file. Both feeds are on loopback. */

let app: AppSession
let forum: FeedFixture
let blog: FeedFixture
let files: { path: string; remove: () => Promise<void> }

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toUTCString()

beforeAll(async () => {
  forum = await startFeed([
    {
      guid: 'forum-1',
      title: 'Acme login loop',
      description: 'Acme keeps logging me out of the app.',
      author: 'dana',
      pubDate: minutesAgo(30),
    },
  ])
  blog = await startFeed([
    {
      guid: 'blog-1',
      title: 'Why we moved to Acme',
      description: 'Our team switched to Acme last month and the support was quick.',
      author: 'lee',
      pubDate: minutesAgo(20),
    },
  ])
  files = await tempDir('earshot-e2e-opml-files-')
  app = await startApp('earshot-e2e-opml-')
})

afterAll(async () => {
  await app?.close()
  await Promise.all([forum?.close(), blog?.close(), files?.remove()])
})

describe('feeds from another reader', () => {
  it('imports an OPML export, hears the new feed, and exports every feed back', async () => {
    const { page } = app
    await app.setUpBrand('Acme')
    await page.getByRole('button', { name: 'Sources' }).click()
    await page.getByLabel('Feed URL').fill(forum.url)
    await page.getByLabel('Name').fill('Forum')
    await page.getByRole('button', { name: 'Add feed' }).click()
    await sourceListed(page, 'Forum', 1)

    const export_ = join(files.path, 'feedly.opml')
    await writeFile(
      export_,
      `<?xml version="1.0" encoding="UTF-8"?><opml version="1.0"><head><title>Feedly</title></head>
      <body><outline text="Brand" title="Brand">
        <outline type="rss" text="Forum" xmlUrl="${forum.url}"/>
        <outline type="rss" text="Team blog" title="Team blog" xmlUrl="${blog.url}"/>
        <outline type="rss" text="Old FTP mirror" xmlUrl="ftp://files.example/feed.xml"/>
        <outline type="rss" text="Gone forum" xmlUrl="${forum.url.replace('feed.xml', 'gone.xml')}"/>
      </outline></body></opml>`,
    )
    await page.getByLabel('OPML file to import').setInputFiles(export_)
    const status = page.getByRole('status').filter({ hasText: 'Added 2 feeds' })
    await status.waitFor({ timeout: 15_000 })
    expect(await status.textContent()).toContain('Added 2 feeds; 1 was already a source.')
    expect(await page.getByRole('list', { name: 'Feeds not added' }).textContent()).toBe(
      'Old FTP mirror: it is not a web address (http or https)',
    )
    // Checked on its first poll, like any new source; its post reaches the queue.
    await page
      .getByRole('list', { name: 'Sources' })
      .getByRole('heading', { name: 'Team blog' })
      .waitFor()
    await showAllMentions(page)
    await expect
      .poll(() => app.queueIds('rss:'), { timeout: 30_000 })
      .toEqual(expect.arrayContaining([`rss:${blog.url}#blog-1`, `rss:${forum.url}#forum-1`]))

    // The feed that is gone fails its first poll: the Sources tab counts it from any screen, and
    // the screen can show it alone.
    await page.locator('.nav__badge--warning').filter({ hasText: '1' }).waitFor({ timeout: 20_000 })
    await page.getByRole('button', { name: 'Sources' }).click()
    await page.getByRole('button', { name: 'Need attention (1)' }).click()
    const list = page.getByRole('list', { name: 'Sources' })
    expect(await list.getByRole('heading').allTextContents()).toEqual(['Gone forum'])
    expect(await list.textContent()).toContain('The feed answered 404 Not Found')
    await page.getByRole('button', { name: 'All (3)' }).click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export OPML' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('earshot-feeds.opml')
    const saved = join(files.path, 'earshot-feeds.opml')
    await download.saveAs(saved)
    const opml = await readFile(saved, 'utf8')
    expect(opml).toContain(`xmlUrl="${forum.url}"`)
    expect(opml).toContain(`title="Team blog" xmlUrl="${blog.url}"`)
    expect(opml).toContain('title="Gone forum"')
    await rm(saved)
    await page
      .getByRole('status')
      .filter({ hasText: 'Exported 3 feeds as “earshot-feeds.opml”.' })
      .waitFor()
  })

  it('logged no errors in the page', () => {
    expect(app.errors).toEqual([])
  })
})
