import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventName, EventPayload } from '../../../src/shared/contract'
import { dispatchCall } from '../../../src/shared/contract'
import type { Alert, Batch, BrandProfile, Mention } from '../../../src/shared/domain'
import { createCore, PENDING_PAGE_MENTIONS, SOURCES_ANNOUNCE_MS } from '../../../src/main/core'
import { openJournal } from '../../../src/main/journal/journal'
import { silentLogger } from '../../../src/main/log'
import type { Core, CorePorts } from '../../../src/main/ports'
import { readFeedText, startFeedServer, type FeedServer } from '../../fixtures/feed-server'
import { startHnServer, story } from '../../fixtures/hn-server'
import { startMastodonServer, status } from '../../fixtures/mastodon-server'
import { startProxy } from '../../fixtures/proxy-server'

const profile: BrandProfile = {
  brand: 'Acme',
  handles: [{ platform: 'mastodon', handle: '@acme@mastodon.social' }],
  products: ['Acme Cloud'],
  competitors: ['Globex'],
  excluded: [],
}

const urgentFeed = `<?xml version="1.0"?><rss version="2.0"><channel><title>Forum</title>
<item><guid>a1</guid><title>Double charge</title><link>https://forum.example/a1</link>
<description>@acme I was charged twice and still no refund. This is the worst service, I am calling my lawyer.</description></item>
<item><guid>a2</guid><title>Nice</title><link>https://forum.example/a2</link>
<description>Tried Acme Cloud at the weekend, it was fine.</description></item>
</channel></rss>`

/** A plain journaled mention, for backlogs. */
const backlogMention = (n: number): Mention => ({
  id: `rss:https://forum.example/feed#${n}`,
  sourceId: 'forum',
  platform: 'rss',
  url: `https://forum.example/${n}`,
  author: { id: 'rss:forum#ana', name: 'Ana' },
  text: `post ${n}`,
  createdAt: 1_700_000_000_000 + n,
  fetchedAt: 1_700_000_000_000 + n,
  triage: {
    sentiment: { score: 0, comparative: 0, label: 'neutral', words: [] },
    directed: false,
    urgency: 10,
    reasons: [],
    matched: [],
  },
})

let dir: string
let server: FeedServer
let core: Core
const events: { name: EventName; payload: unknown }[] = []
const alerts: Alert[] = []
const opened: string[] = []
const setUnhandled = vi.fn()

const start = async (extra: Partial<CorePorts> = {}) => {
  core = createCore({
    host: 'electron',
    version: '0.1.0',
    dataDir: dir,
    logger: silentLogger,
    emit: <E extends EventName>(name: E, payload: EventPayload<E>) =>
      void events.push({ name, payload }),
    notify: (alert) => void alerts.push(alert),
    openExternal: (url) => Promise.resolve(void opened.push(url)),
    setUnhandled,
    ...extra,
  })
  await core.start()
}
const call = (name: string, input: unknown) => dispatchCall(core.handlers, name, input)
/** Alerts about the feeds under test, not the Demo's (same race as below). */
const feedAlerts = () => alerts.filter((alert) => !alert.mentionId.startsWith('demo:'))
/** Batches from the feeds under test: the Demo may get one poll in before a feed replaces it. */
const batches = () =>
  events
    .filter((e) => e.name === 'mentions:batch')
    .map((e) => e.payload as Batch)
    .filter((batch) => batch.sourceId !== 'demo')

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-core-'))
  server = await startFeedServer({
    '/urgent.xml': { headers: { 'content-type': 'application/rss+xml' }, body: urgentFeed },
    '/blog.xml': {
      headers: { 'content-type': 'application/rss+xml' },
      body: readFeedText('blog.rss.xml'),
    },
  })
  events.length = 0
  alerts.length = 0
  opened.length = 0
  await start()
})
afterEach(async () => {
  await core.stop()
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('core', () => {
  it('starts without a brand profile, offering the Demo source and polling nothing', async () => {
    expect(await call('profile:get', {})).toEqual({ ok: true, value: null })
    const sources = await call('sources:list', {})
    expect(
      sources.ok && (sources.value as { config: { kind: string } }[]).map((s) => s.config.kind),
    ).toEqual(['demo'])
    await new Promise((r) => setTimeout(r, 50))
    expect(batches()).toEqual([])
  })

  it('answers a backlog in pages of at most PENDING_PAGE_MENTIONS mentions, oldest first', async () => {
    await core.stop()
    const journal = await openJournal({
      journalPath: join(dir, 'journal.jsonl'),
      statePath: join(dir, 'delivery.json'),
      logger: silentLogger,
    })
    const perBatch = 250
    const total = PENDING_PAGE_MENTIONS + 2_500
    for (let at = 0; at < total; at += perBatch) {
      const mentions = Array.from({ length: perBatch }, (_, i) => backlogMention(at + i))
      await journal.append('forum', { seen: at + perBatch }, mentions)
    }
    await journal.close()
    await start()

    type Page = { batches: Batch[]; more: boolean }
    const page = async (afterSeq: number): Promise<Page> => {
      const reply = await call('delivery:pending', { afterSeq })
      if (!reply.ok) throw new Error(reply.error.message)
      return reply.value as Page
    }
    const count = (p: Page) => p.batches.reduce((n, b) => n + b.mentions.length, 0)
    const first = await page(0)
    expect(count(first)).toBe(PENDING_PAGE_MENTIONS)
    expect(first.more).toBe(true)
    const top = first.batches.at(-1)?.seq ?? 0
    const second = await page(top)
    expect(second.batches[0]?.seq).toBe(top + 1)
    expect(count(second)).toBe(total - PENDING_PAGE_MENTIONS)
    expect(second.more).toBe(false)
  })

  it('polls an added feed, journals a scored batch, and notifies for the urgent mention only', async () => {
    await call('profile:save', { profile })
    const added = await call('sources:add', {
      source: { kind: 'rss', url: server.url('/urgent.xml'), name: 'Forum' },
    })
    expect(added.ok).toBe(true)
    // the demo steps aside once a real source exists
    const list = await call('sources:list', {})
    expect(
      list.ok && (list.value as { config: { kind: string } }[]).map((s) => s.config.kind),
    ).toEqual(['rss'])

    await vi.waitFor(() => expect(batches()).toHaveLength(1), { timeout: 10_000 })
    const [batch] = batches()
    expect(batch?.mentions.map((m) => m.text)).toHaveLength(2)
    const urgent = batch?.mentions.find((m) => m.id.endsWith('#a1'))
    expect(urgent?.triage.directed).toBe(true)
    expect(urgent?.triage.urgency).toBeGreaterThanOrEqual(70)
    expect(feedAlerts().map((a) => a.mentionId)).toEqual([urgent?.id])

    // what the renderer has not acked is still pending, and stays pending across a restart (the
    // Demo may have journaled a batch before the feed replaced it: only the feed's are asked about)
    const feedPending = async () => {
      const reply = await call('delivery:pending', { afterSeq: 0 })
      if (!reply.ok) return reply
      const value = reply.value as { batches: { seq: number; sourceId: string }[]; more: boolean }
      const feed = value.batches.filter((b) => b.sourceId !== 'demo').map((b) => b.seq)
      return { feed, more: value.more }
    }
    const seq = batch?.seq ?? 0
    expect(await feedPending()).toEqual({ feed: [seq], more: false })
    await core.stop()
    await start()
    expect(await feedPending()).toEqual({ feed: [seq], more: false })
    // the source's record survives the restart
    const listed = await call('sources:list', {})
    expect(listed).toMatchObject({ ok: true, value: [{ health: { itemsTotal: 2 } }] })
    const [first] = (listed.ok ? listed.value : []) as { health: { lastSuccessAt: number } }[]
    expect(first?.health.lastSuccessAt).toBeGreaterThan(0)
    await call('delivery:ack', { seq })
    expect(await call('delivery:pending', { afterSeq: 0 })).toMatchObject({
      ok: true,
      value: { batches: [], more: false },
    })
    // a restart re-polls the feed: same items, nothing new journaled, no second notification
    await vi.waitFor(() => expect(server.count('/urgent.xml')).toBeGreaterThanOrEqual(2), {
      timeout: 10_000,
    })
    expect(feedAlerts()).toHaveLength(1)
  })

  it('drops what the profile excludes, whatever the source let through', async () => {
    await call('profile:save', { profile: { ...profile, excluded: ['at the weekend'] } })
    await call('sources:add', { source: { kind: 'rss', url: server.url('/urgent.xml') } })
    await vi.waitFor(() => expect(batches()).toHaveLength(1), { timeout: 10_000 })
    expect(batches()[0]?.mentions.map((m) => m.id)).toEqual([`rss:${server.url('/urgent.xml')}#a1`])
  })

  it('checks a feed before adding it and names it after the feed', async () => {
    server.route('/page', {
      headers: { 'content-type': 'text/html' },
      body: '<!doctype html><html><body>Hi</body></html>',
    })
    const page = await call('sources:add', { source: { kind: 'rss', url: server.url('/page') } })
    expect(page).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/web page/i) as unknown },
    })
    const missing = await call('sources:add', { source: { kind: 'rss', url: server.url('/gone') } })
    expect(missing).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/404/) as unknown },
    })
    const blog = await call('sources:add', {
      source: { kind: 'rss', url: server.url('/blog.xml') },
    })
    expect(blog).toMatchObject({
      ok: true,
      value: { config: { name: 'Kettle & Crumb — a small-business blog' } },
    })
  })

  it("checks a feed through the system's proxy when the host names one", async () => {
    await core.stop()
    const office = await startProxy()
    try {
      const asked: string[] = []
      await start({
        resolveProxy: (url) => {
          asked.push(url)
          return Promise.resolve(`PROXY ${office.hostPort}; DIRECT`)
        },
      })
      // A name only the proxy knows: going direct could not reach it.
      const url = `http://feeds.acme.test:${new URL(server.url('/')).port}/blog.xml`
      const tested = await call('sources:test', { source: { kind: 'rss', url } })
      expect(tested).toMatchObject({ ok: true, value: { found: 5 } })
      // Asked for the origin only, never the path (a feed's address can carry a secret).
      expect(asked).toEqual([`${new URL(url).origin}/`])
      expect(office.log.requests).toEqual([`GET ${url}`])
    } finally {
      await office.close()
    }
  })

  it('refuses the same feed twice and unknown sources', async () => {
    await call('sources:add', { source: { kind: 'rss', url: server.url('/blog.xml') } })
    expect(
      await call('sources:add', { source: { kind: 'rss', url: server.url('/blog.xml') } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    })
    expect(await call('sources:remove', { id: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
    expect(
      await call('sources:add', { source: { kind: 'rss', url: 'javascript:alert(1)' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    })
  })

  it('checks a Hacker News source by polling it once, then polls it for the brand', async () => {
    const hn = await startHnServer([
      story(41699000, Math.floor(Date.now() / 1000) - 600, { title: 'Acme Cloud raises prices' }),
      story(41699001, Math.floor(Date.now() / 1000) - 500, { title: 'Unrelated launch' }),
    ])
    try {
      const input = { kind: 'hn', apiBase: hn.origin }
      // Without a brand profile there is nothing to search for.
      expect(await call('sources:add', { source: input })).toMatchObject({
        ok: false,
        error: {
          code: 'invalid-input',
          message: expect.stringMatching(/brand profile/) as unknown,
        },
      })
      await call('profile:save', { profile })
      expect(
        await call('sources:add', { source: { kind: 'hn', apiBase: `${hn.origin}/wrong` } }),
      ).toMatchObject({
        ok: false,
        error: { code: 'network', message: 'Hacker News search answered 404 Not Found' },
      })
      const added = await call('sources:add', { source: input })
      expect(added).toMatchObject({
        ok: true,
        value: {
          config: { kind: 'hn', name: 'Hacker News', apiBase: hn.origin, intervalSec: 120 },
        },
      })
      expect(
        await call('sources:add', { source: { ...input, apiBase: `${hn.origin}/` } }),
      ).toMatchObject({
        ok: false,
        error: { code: 'conflict' },
      })
      expect(
        await call('sources:add', { source: { ...input, query: 'Globex', name: 'HN: Globex' } }),
      ).toMatchObject({ ok: true, value: { config: { query: 'Globex', name: 'HN: Globex' } } })

      await vi.waitFor(() => expect(batches().length).toBeGreaterThanOrEqual(1), {
        timeout: 10_000,
      })
      const heard = batches().flatMap((batch) => batch.mentions)
      expect(heard.map((m) => m.id)).toEqual(['hn:41699000'])
      expect(heard[0]?.triage.matched).toContain('Acme Cloud')
    } finally {
      await hn.close()
    }
  })

  it('checks a Mastodon hashtag source by polling it once, then hears its statuses', async () => {
    const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString()
    const mastodon = await startMastodonServer([
      status('113200000000000001', ago(10), 'Acme Cloud is down again', ['acme']),
      status('113200000000000002', ago(5), 'Loving the new Acme dashboard', ['acmecloud']),
    ])
    try {
      await call('profile:save', { profile })
      mastodon.override = () => ({
        status: 401,
        body: '{"error":"This method requires an authenticated user"}',
      })
      const input = { kind: 'mastodon', instance: mastodon.origin, hashtags: ['acme', 'AcmeCloud'] }
      expect(await call('sources:add', { source: input })).toMatchObject({
        ok: false,
        error: {
          code: 'network',
          message: 'This instance only shows hashtag timelines to signed-in users',
        },
      })
      mastodon.override = null
      const added = await call('sources:add', { source: input })
      expect(added).toMatchObject({
        ok: true,
        value: {
          config: {
            kind: 'mastodon',
            name: '#acme #AcmeCloud on 127.0.0.1',
            instance: mastodon.origin,
            hashtags: ['acme', 'AcmeCloud'],
            intervalSec: 60,
          },
        },
      })
      // The same tags in another order and case are the same source.
      expect(
        await call('sources:add', {
          source: { ...input, instance: `${mastodon.origin}/`, hashtags: ['acmecloud', 'ACME'] },
        }),
      ).toMatchObject({ ok: false, error: { code: 'conflict' } })

      await vi.waitFor(() => expect(batches().length).toBeGreaterThanOrEqual(1), {
        timeout: 10_000,
      })
      const heard = batches().flatMap((batch) => batch.mentions)
      expect(heard.map((m) => m.id).sort()).toEqual([
        'mastodon:https://mastodon.example/users/carol/statuses/113200000000000001',
        'mastodon:https://mastodon.example/users/carol/statuses/113200000000000002',
      ])
      expect(heard.every((m) => m.platform === 'mastodon')).toBe(true)
    } finally {
      await mastodon.close()
    }
  })

  it('pauses, resumes and removes a source, announcing each change', async () => {
    await call('profile:save', { profile })
    const added = await call('sources:add', {
      source: { kind: 'rss', url: server.url('/blog.xml') },
    })
    const id = added.ok ? (added.value as { config: { id: string } }).config.id : ''
    const paused = await call('sources:setPaused', { id, paused: true })
    expect(paused).toMatchObject({
      ok: true,
      value: { config: { paused: true }, health: { state: 'paused' } },
    })
    await call('sources:remove', { id })
    expect(await call('sources:list', {})).toEqual({ ok: true, value: [] })
    expect(events.some((e) => e.name === 'sources:changed')).toBe(true)
  })

  it('checks a source now, before its next check, and answers with how that poll went', async () => {
    await call('profile:save', { profile })
    const added = await call('sources:add', {
      source: { kind: 'rss', url: server.url('/urgent.xml'), intervalSec: 3600 },
    })
    const id = added.ok ? (added.value as { config: { id: string } }).config.id : ''
    await vi.waitFor(() => expect(batches()).toHaveLength(1), { timeout: 10_000 })
    // The next check is an hour away; the responder asks now, and the new post is there.
    server.route('/urgent.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: urgentFeed.replace(
        '</channel>',
        '<item><guid>a3</guid><title>Login</title><description>@acme I cannot log in since this morning</description></item></channel>',
      ),
    })
    const asked = Date.now()
    const before = server.count('/urgent.xml')
    const checked = await call('sources:checkNow', { id })
    expect(server.count('/urgent.xml')).toBe(before + 1)
    expect(checked).toMatchObject({ ok: true, value: { health: { state: 'live', itemsTotal: 3 } } })
    const health = (checked.ok ? checked.value : null) as { health: { lastSuccessAt: number } }
    expect(health.health.lastSuccessAt).toBeGreaterThanOrEqual(asked)
    await vi.waitFor(() => expect(batches()).toHaveLength(2))
    expect(batches()[1]?.mentions.map((m) => m.id)).toEqual([`rss:${server.url('/urgent.xml')}#a3`])

    // A failed check answers too, with the error in the source's health.
    server.route('/urgent.xml', { status: 404, body: 'gone' })
    const failed = await call('sources:checkNow', { id })
    expect(failed).toMatchObject({ ok: true, value: { health: { state: 'backing-off' } } })
    const failedHealth = (failed.ok ? failed.value : null) as { health: { lastError: string } }
    expect(failedHealth.health.lastError).toContain('404')

    await call('sources:setPaused', { id, paused: true })
    expect(await call('sources:checkNow', { id })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'This source is paused: resume it to check it' },
    })
    expect(await call('sources:checkNow', { id: 'nope' })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
    expect(server.count('/urgent.xml')).toBe(before + 2)
  })

  it('renames a source and changes its interval, keeping its health and its place', async () => {
    await call('profile:save', { profile })
    expect(await call('sources:update', { id: 'demo', changes: { intervalSec: 60 } })).toEqual({
      ok: false,
      error: { code: 'invalid-input', message: 'The Demo source cannot be edited' },
    })
    const added = await call('sources:add', {
      source: { kind: 'rss', url: server.url('/urgent.xml'), intervalSec: 3600 },
    })
    const id = added.ok ? (added.value as { config: { id: string } }).config.id : ''
    await vi.waitFor(() => expect(batches()).toHaveLength(1), { timeout: 10_000 })
    const edited = await call('sources:update', {
      id,
      changes: { name: 'Support forum', intervalSec: 300 },
    })
    expect(edited).toMatchObject({
      ok: true,
      value: {
        config: { id, name: 'Support forum', intervalSec: 300, url: server.url('/urgent.xml') },
        health: { state: 'live', itemsTotal: 2 },
      },
    })
    // The next check comes within the new interval (with its jitter), not the old hour.
    const next = (edited.ok ? edited.value : null) as { health: { nextCheckAt: number } }
    expect(next.health.nextCheckAt - Date.now()).toBeLessThanOrEqual(300_000 * 1.25)
    // Saved: a restart reads the new settings.
    await core.stop()
    await start()
    expect(await call('sources:list', {})).toMatchObject({
      ok: true,
      value: [{ config: { id, name: 'Support forum', intervalSec: 300 } }],
    })
    expect(await call('sources:update', { id: 'nope', changes: { name: 'x' } })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    })
  })

  it('never checks early a source whose platform asked Earshot to wait', async () => {
    // Adding reads the feed once (its title); the poll that follows is refused for ten minutes.
    server.route('/limited.xml', (_request, count) =>
      count === 1
        ? { headers: { 'content-type': 'application/rss+xml' }, body: urgentFeed }
        : { status: 429, headers: { 'retry-after': '600' }, body: 'Too Many Requests' },
    )
    await call('profile:save', { profile })
    const added = await call('sources:add', {
      source: { kind: 'rss', url: server.url('/limited.xml') },
    })
    const id = added.ok ? (added.value as { config: { id: string } }).config.id : ''
    const state = async () => {
      const list = await call('sources:list', {})
      const views = (list.ok ? list.value : []) as {
        config: { id: string }
        health: { state: string }
      }[]
      return views.find((v) => v.config.id === id)?.health.state
    }
    await vi.waitFor(async () => expect(await state()).toBe('rate-limited'), { timeout: 10_000 })
    expect(await call('sources:checkNow', { id })).toEqual({
      ok: false,
      error: {
        code: 'conflict',
        message:
          'The platform asked Earshot to slow down, so it checks again in 10 minutes, not before',
      },
    })
    expect(server.count('/limited.xml')).toBe(2)
  })

  it('tells the page of a burst of source changes in a few events, the last one current', async () => {
    await call('profile:save', { profile })
    const added = await call('sources:add', {
      source: { kind: 'rss', url: server.url('/blog.xml') },
    })
    const id = added.ok ? (added.value as { config: { id: string } }).config.id : ''
    await new Promise((resolve) => setTimeout(resolve, SOURCES_ANNOUNCE_MS * 2))
    events.length = 0
    for (let i = 1; i <= 10; i++) await call('sources:setPaused', { id, paused: i % 2 === 1 })
    await new Promise((resolve) => setTimeout(resolve, SOURCES_ANNOUNCE_MS * 2))
    const changed = events.filter((e) => e.name === 'sources:changed')
    expect(changed.length).toBeGreaterThan(0)
    expect(changed.length).toBeLessThanOrEqual(3)
    expect(changed.at(-1)?.payload).toMatchObject([{ config: { id, paused: false } }])
  })

  it('opens only allow-listed links in the system browser', async () => {
    expect(await call('shell:openExternal', { url: 'https://forum.example/a1' })).toEqual({
      ok: true,
      value: { openedBy: 'host' },
    })
    expect(await call('shell:openExternal', { url: 'file:///etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    })
    expect(opened).toEqual(['https://forum.example/a1'])
  })

  it('passes the unhandled urgent count to the host', async () => {
    await call('alerts:setUnhandled', { count: 4 })
    expect(setUnhandled).toHaveBeenCalledWith(4)
  })

  it('scores imported rows with the brand profile, as many as asked and no more', async () => {
    await call('profile:save', { profile })
    const heard = (id: string, text: string) => ({
      id,
      sourceId: 'import',
      platform: 'import',
      url: null,
      author: { id: 'import:ana', name: 'Ana' },
      text,
      createdAt: Date.now() - 60_000,
      fetchedAt: Date.now(),
    })
    const result = await call('triage:batch', {
      items: [
        heard('import:1', '@acme@mastodon.social I was charged twice, refund me now'),
        heard('import:2', 'Lovely weather today'),
      ],
    })
    expect(result.ok).toBe(true)
    const [complaint, other] = (result as { value: Mention[] }).value
    expect(complaint).toMatchObject({ id: 'import:1', triage: { directed: true } })
    expect(complaint!.triage.sentiment.label).toBe('negative')
    expect(other!.triage.directed).toBe(false)
    expect(complaint!.triage.urgency).toBeGreaterThan(other!.triage.urgency)
    // Nothing imported goes to the journal or raises an alert.
    expect(
      events.filter(
        (e) => e.name === 'mentions:batch' && (e.payload as Batch).sourceId === 'import',
      ),
    ).toEqual([])
    const tooMany = await call('triage:batch', {
      items: Array.from({ length: 501 }, (_, n) => heard(`import:${n}`, 'x')),
    })
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'invalid-input' } })
  })
})
