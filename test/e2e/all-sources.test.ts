import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  APP_PASSWORD,
  BRAND_HANDLE,
  post as blueskyPost,
  profile,
  startBlueskyServer,
  type BlueskyServer,
} from '../fixtures/bluesky-server'
import { startHnServer, story, type HnServer } from '../fixtures/hn-server'
import {
  account,
  startMastodonServer,
  status,
  type MastodonServer,
} from '../fixtures/mastodon-server'
import { post as redditPost, startRedditServer, type RedditServer } from '../fixtures/reddit-server'
import { startFeed, type FeedFixture } from './feed-fixture'
import { startApp, type AppSession } from './harness'

/* Every platform at once, end to end: one source of each kind on its own loopback fixture, added
   through the web host's Sources screen, all feeding the queue together. The feed is read through
   the parse worker of the built host (out/main/parse-worker.js). Bluesky and Reddit sign in with
   the credentials typed into the form, pointed at their fixtures through the advanced addresses. */

const erin = profile('erin.bsky.social', 'Erin')
const agoSec = (minutes: number) => Math.floor(Date.now() / 1000) - minutes * 60
const agoIso = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()

let app: AppSession
let feed: FeedFixture
let hn: HnServer
let mastodon: MastodonServer
let bluesky: BlueskyServer
let reddit: RedditServer

beforeAll(async () => {
  feed = await startFeed([
    {
      guid: 'forum-1',
      title: 'Acme refund still missing',
      description: 'Acme charged me twice for the same order.',
      author: 'dana',
      pubDate: new Date(Date.now() - 30 * 60_000).toUTCString(),
    },
  ])
  hn = await startHnServer([story(41699000, agoSec(40), { title: 'Acme Cloud raises prices' })])
  mastodon = await startMastodonServer([
    status('113200000000000001', agoIso(20), 'Acme Cloud outage again?', ['acme'], {
      account: account('carol', { acct: 'carol@chaos.example', display_name: 'Carol' }),
    }),
  ])
  bluesky = await startBlueskyServer()
  bluesky.posts.push(blueskyPost(erin, '3lacme0001', agoIso(15), 'Acme support never answered me'))
  reddit = await startRedditServer()
  reddit.nowSec = agoSec(0)
  reddit.posts.push(
    redditPost('1acme01', agoSec(25), {
      title: 'Acme Cloud billing question',
      selftext: 'Has anyone been double charged by Acme?',
      subreddit: 'sysadmin',
    }),
  )
  app = await startApp('earshot-e2e-all-')
})

afterAll(async () => {
  await app?.close()
  await Promise.all([
    feed?.close(),
    hn?.close(),
    mastodon?.close(),
    bluesky?.close(),
    reddit?.close(),
  ])
})

describe('one source of each platform, at once', () => {
  it('adds RSS, Hacker News, Mastodon, Bluesky and Reddit and shows mentions from each in the queue', async () => {
    const { page } = app
    await app.setUpBrand('Acme')
    await page.getByRole('button', { name: 'Sources' }).click()

    await page.getByLabel('Feed URL').fill(feed.url)
    await page.getByLabel('Name').fill('Forum')
    await page.getByRole('button', { name: 'Add feed' }).click()
    const list = page.getByRole('list', { name: 'Sources' })
    await expect
      .poll(() => list.getByRole('heading', { name: 'Forum' }).isVisible(), { timeout: 15_000 })
      .toBe(true)

    await page.getByLabel('Hacker News', { exact: true }).check()
    await page.getByText('Advanced: API address').click()
    await page.getByLabel('API address').fill(hn.origin)
    await page.getByRole('button', { name: 'Add Hacker News' }).click()
    await expect
      .poll(() => list.getByRole('heading', { name: 'Hacker News' }).isVisible(), {
        timeout: 15_000,
      })
      .toBe(true)

    await page.getByLabel('Mastodon', { exact: true }).check()
    await page.getByLabel('Instance', { exact: true }).fill(mastodon.origin)
    await page.getByLabel('Hashtags', { exact: true }).fill('#acme')
    await page.getByRole('button', { name: 'Add Mastodon' }).click()
    await expect
      .poll(() => list.getByRole('heading', { name: '#acme on 127.0.0.1' }).isVisible(), {
        timeout: 15_000,
      })
      .toBe(true)

    await page.getByLabel('Bluesky', { exact: true }).check()
    await page.getByLabel('Handle', { exact: true }).fill(BRAND_HANDLE)
    await page.getByLabel('App password', { exact: true }).fill(APP_PASSWORD)
    await page.getByText('Advanced: server address').click()
    await page.getByLabel('Server address').fill(bluesky.origin)
    await page.getByRole('button', { name: 'Add Bluesky' }).click()
    await expect
      .poll(() => list.getByRole('heading', { name: `Bluesky @${BRAND_HANDLE}` }).isVisible(), {
        timeout: 15_000,
      })
      .toBe(true)

    await page.getByLabel('Reddit', { exact: true }).check()
    await page.getByLabel('Reddit username').fill(reddit.username)
    await page.getByLabel('Reddit password').fill(reddit.password)
    await page.getByLabel('Client id').fill(reddit.clientId)
    await page.getByLabel('Client secret').fill(reddit.clientSecret)
    await page.getByLabel('Subreddits').fill('sysadmin')
    await page.getByText('Advanced: API addresses').click()
    await page.getByLabel('API address').fill(reddit.origin)
    await page.getByLabel('Sign-in address').fill(reddit.origin)
    await page.getByRole('button', { name: 'Add Reddit' }).click()
    await expect
      .poll(() => list.getByRole('heading', { name: `Reddit u/${reddit.username}` }).isVisible(), {
        timeout: 15_000,
      })
      .toBe(true)
    // The passwords went to main, never back: the cards only say the sign-in is set.
    expect(await page.content()).not.toContain(APP_PASSWORD)
    expect(await page.content()).not.toContain(reddit.clientSecret)

    await page.getByRole('button', { name: 'Queue' }).click()
    // Overheard mentions land in Watching, directed ones in Inbox: All shows both.
    await page.getByRole('tab', { name: /^All/ }).click()
    const all = ['rss:', 'hn:', 'mastodon:', 'bluesky:', 'reddit:']
    const platforms = async () => {
      const ids = await app.queueIds('')
      return all.filter((prefix) => ids.some((id) => id.startsWith(prefix)))
    }
    await expect.poll(platforms, { timeout: 60_000 }).toEqual(all)
    expect(await app.queueIds('rss:')).toEqual([`rss:${feed.url}#forum-1`])
    expect(await app.queueIds('hn:')).toEqual(['hn:41699000'])
    expect(await app.queueIds('mastodon:')).toHaveLength(1)
    expect(await app.queueIds('bluesky:')).toEqual([
      `bluesky:at://${erin.did}/app.bsky.feed.post/3lacme0001`,
    ])
    expect(await app.queueIds('reddit:')).toEqual(['reddit:t3_1acme01'])
  })

  it('logged no errors in the page', () => {
    expect(app.errors).toEqual([])
  })
})
