import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { EventName, EventPayload, OpmlImport } from '../../../src/shared/contract'
import { dispatchCall } from '../../../src/shared/contract'
import type { Batch, SourceView } from '../../../src/shared/domain'
import { createCore } from '../../../src/main/core'
import { silentLogger } from '../../../src/main/log'
import { parseOpml } from '../../../src/main/sources/opml'
import type { Core } from '../../../src/main/ports'
import { readFeedText, startFeedServer, type FeedServer } from '../../fixtures/feed-server'
import { startHnServer } from '../../fixtures/hn-server'

/* Feeds in and out as OPML, through the contract: another reader's export becomes sources that
   are polled like any other, and the RSS sources go out as a file another reader takes. */

let dir: string
let server: FeedServer
let core: Core
const batches: Batch[] = []

const start = async () => {
  core = createCore({
    host: 'web',
    version: '0.1.0',
    dataDir: dir,
    logger: silentLogger,
    emit: <E extends EventName>(name: E, payload: EventPayload<E>) => {
      if (name === 'mentions:batch') batches.push(payload as Batch)
    },
    notify: () => undefined,
    openExternal: () => Promise.resolve(),
    setUnhandled: () => undefined,
    // First polls start at the beginning of their start-up window.
    random: () => 0,
  })
  await core.start()
}
const call = (name: string, input: unknown) => dispatchCall(core.handlers, name, input)
const sources = async () => {
  const listed = await call('sources:list', {})
  return listed.ok ? (listed.value as SourceView[]) : []
}
const subscriptions = (outlines: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><opml version="2.0"><head><title>Feedly</title></head>
  <body><outline text="Brand" title="Brand">${outlines}</outline></body></opml>`

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-core-opml-'))
  server = await startFeedServer({
    '/blog.xml': {
      headers: { 'content-type': 'application/rss+xml' },
      body: readFeedText('blog.rss.xml'),
    },
  })
  batches.length = 0
  await start()
  await call('profile:save', {
    profile: { brand: 'Kettle', handles: [], products: [], competitors: [], excluded: [] },
  })
})
afterEach(async () => {
  await core.stop()
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('importing and exporting feeds as OPML', () => {
  it('adds the feeds of another reader’s export, which are then polled like any source', async () => {
    await call('sources:add', { source: { kind: 'rss', url: server.url('/blog.xml') } })
    const imported = await call('sources:importOpml', {
      opml: subscriptions(`
        <outline type="rss" text="Kettle blog" xmlUrl="${server.url('/blog.xml')}"/>
        <outline type="rss" text="Forum" title="Kettle forum" xmlUrl="${server.url('/forum.xml')}"/>
        <outline type="rss" text="Old FTP mirror" xmlUrl="ftp://files.example/feed.xml"/>`),
    })
    expect(imported.ok).toBe(true)
    const value = (imported as { value: OpmlImport }).value
    expect(value.added.map((s) => s.config)).toEqual([
      expect.objectContaining({ kind: 'rss', url: server.url('/forum.xml'), name: 'Kettle forum' }),
    ])
    expect(value.already).toBe(1)
    expect(value.refused).toEqual([
      { feed: 'Old FTP mirror', reason: 'it is not a web address (http or https)' },
    ])
    // The imported feed was not fetched to be added; its first poll finds it missing, in words.
    await vi.waitFor(
      async () => {
        const forum = (await sources()).find((s) => s.config.name === 'Kettle forum')
        expect(forum?.health.lastError).toMatch(/404/)
      },
      { timeout: 10_000 },
    )
    // Saved: a restart keeps them, the demo long gone.
    await core.stop()
    await start()
    expect((await sources()).map((s) => s.config.name)).toEqual([
      'Kettle & Crumb — a small-business blog',
      'Kettle forum',
    ])
  })

  it('polls an imported feed into the journal', async () => {
    const imported = await call('sources:importOpml', {
      opml: subscriptions(`<outline text="Blog" xmlUrl="${server.url('/blog.xml')}"/>`),
    })
    expect(imported.ok).toBe(true)
    const [id] = (await sources()).map((s) => s.config.id)
    await vi.waitFor(() => expect(batches.some((b) => b.sourceId === id)).toBe(true), {
      timeout: 10_000,
    })
    const heard = batches.filter((b) => b.sourceId === id).flatMap((b) => b.mentions)
    expect(heard.length).toBeGreaterThan(0)
    expect(heard.every((m) => m.platform === 'rss')).toBe(true)
  })

  it('refuses a file that is not OPML in words, adding nothing', async () => {
    const configs = async () => (await sources()).map((s) => s.config)
    const before = await configs()
    const refused = await call('sources:importOpml', { opml: '{"feeds": ["https://a.example"]}' })
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: expect.stringMatching(/not readable XML/) as unknown,
      },
    })
    const bomb = `<!DOCTYPE opml [<!ENTITY a "${'a'.repeat(100)}">]><opml><body>
      <outline title="&a;" xmlUrl="https://a.example/rss"/></body></opml>`
    expect(await call('sources:importOpml', { opml: bomb })).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: expect.stringMatching(/declares XML entities/) as unknown,
      },
    })
    expect(await configs()).toEqual(before)
  })

  it('exports the RSS sources as a file that imports back to the same feeds', async () => {
    await call('sources:add', { source: { kind: 'rss', url: server.url('/blog.xml') } })
    const hn = await startHnServer()
    try {
      expect(
        await call('sources:add', { source: { kind: 'hn', apiBase: hn.origin } }),
      ).toMatchObject({ ok: true })
    } finally {
      await hn.close()
    }
    const exported = await call('sources:exportOpml', {})
    expect(exported.ok).toBe(true)
    const { opml, feeds } = (exported as { value: { opml: string; feeds: number } }).value
    expect(feeds).toBe(1)
    expect(parseOpml(opml).feeds).toEqual([
      { url: server.url('/blog.xml'), title: 'Kettle & Crumb — a small-business blog' },
    ])
    // Another copy of Earshot takes it: the feed is already there, so nothing is added twice.
    const again = await call('sources:importOpml', { opml })
    expect(again).toMatchObject({ ok: true, value: { added: [], already: 1, refused: [] } })
    const saved = JSON.parse(await readFile(join(dir, 'sources.json'), 'utf8')) as { sources: [] }
    expect(saved.sources).toHaveLength(2)
  })
})
