import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EventName, EventPayload } from '../../../src/shared/contract'
import { dispatchCall } from '../../../src/shared/contract'
import type { Batch, SourceView } from '../../../src/shared/domain'
import { createCore } from '../../../src/main/core'
import { silentLogger } from '../../../src/main/log'
import type { Core } from '../../../src/main/ports'
import { readFeedText, startFeedServer, type FeedServer } from '../../fixtures/feed-server'

/* What a restart and a moved feed leave behind: an open breaker stays open, and a feed's
   permanent redirect becomes the source's address with a note, repeating no mention. */

const profile = { brand: 'Acme', handles: [], products: [], competitors: [], excluded: [] }
let dir: string
let server: FeedServer
let core: Core | null = null
const events: { name: EventName; payload: unknown }[] = []

const start = async () => {
  core = createCore({
    host: 'web',
    version: '0.1.0',
    dataDir: dir,
    logger: silentLogger,
    emit: <E extends EventName>(name: E, payload: EventPayload<E>) =>
      void events.push({ name, payload }),
    notify: () => undefined,
    openExternal: () => Promise.resolve(),
    setUnhandled: () => undefined,
  })
  await core.start()
}
const list = async (): Promise<SourceView[]> => {
  const result = await dispatchCall(core!.handlers, 'sources:list', {})
  return result.ok ? (result.value as SourceView[]) : []
}
const feedSource = (url: string) => ({
  id: 'rss-forum',
  kind: 'rss',
  name: 'Forum',
  url,
  paused: false,
  intervalSec: 900,
  createdAt: 0,
})
const writeData = async (sources: unknown[], health?: unknown) => {
  await writeFile(join(dir, 'profile.json'), JSON.stringify({ version: 1, profile }))
  await writeFile(join(dir, 'sources.json'), JSON.stringify({ version: 1, sources }))
  if (health) await writeFile(join(dir, 'health.json'), JSON.stringify({ version: 1, health }))
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-restart-'))
  server = await startFeedServer()
  events.length = 0
})
afterEach(async () => {
  await core?.stop()
  core = null
  await server.close()
  await rm(dir, { recursive: true, force: true })
})

describe('a restart', () => {
  it('keeps an open breaker open until its saved probe time, polling nothing before', async () => {
    server.route('/feed.xml', { status: 500 })
    const probeAt = Date.now() + 20 * 60_000
    await writeData([feedSource(server.url('/feed.xml'))], {
      'rss-forum': {
        state: 'breaker-open',
        lastSuccessAt: null,
        lastErrorAt: Date.now() - 60_000,
        lastError: 'The feed answered 500 Internal Server Error',
        itemsTotal: 3,
        nextCheckAt: probeAt,
        consecutiveFailures: 5,
      },
    })
    await start()
    const [view] = await list()
    expect(view?.health).toMatchObject({
      state: 'breaker-open',
      consecutiveFailures: 5,
      lastError: 'The feed answered 500 Internal Server Error',
    })
    expect(Math.abs((view?.health.nextCheckAt ?? 0) - probeAt)).toBeLessThan(5_000)
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(server.count('/feed.xml')).toBe(0)
  })

  it('re-opens a restored breaker at once when its overdue probe fails', async () => {
    server.route('/feed.xml', { status: 500 })
    await writeData([feedSource(server.url('/feed.xml'))], {
      'rss-forum': {
        state: 'breaker-open',
        lastSuccessAt: null,
        lastErrorAt: Date.now() - 3_600_000,
        lastError: 'The feed answered 500 Internal Server Error',
        itemsTotal: 0,
        nextCheckAt: Date.now() - 60_000,
        consecutiveFailures: 5,
      },
    })
    await start()
    await expect
      .poll(async () => (await list())[0]?.health.consecutiveFailures, { timeout: 15_000 })
      .toBe(6)
    expect((await list())[0]?.health.state).toBe('breaker-open')
    expect(server.count('/feed.xml')).toBe(1)
  })
})

describe('a feed that moved permanently', () => {
  it('is read at its new address from then on, with a note, and its ids stay the same', async () => {
    server.route('/old.xml', { status: 301, headers: { location: '/new.xml' } })
    server.route('/new.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: readFeedText('blog.rss.xml'),
    })
    const oldUrl = server.url('/old.xml')
    const newUrl = server.url('/new.xml')
    await writeData([feedSource(oldUrl)])
    await start()
    await expect
      .poll(async () => (await list())[0]?.config, { timeout: 15_000 })
      .toMatchObject({ url: newUrl, firstUrl: oldUrl })
    await expect
      .poll(async () => (await list())[0]?.health.note, { timeout: 5_000 })
      .toBe(`The feed moved permanently to ${newUrl}; Earshot reads it there now`)
    const stored = JSON.parse(await readFile(join(dir, 'sources.json'), 'utf8')) as {
      sources: { url: string; firstUrl?: string }[]
    }
    expect(stored.sources[0]).toMatchObject({ url: newUrl, firstUrl: oldUrl })
    const batches = events.filter((e) => e.name === 'mentions:batch').map((e) => e.payload as Batch)
    const ids = batches.flatMap((b) => b.mentions.map((m) => m.id))
    expect(ids.length).toBeGreaterThan(0)
    expect(ids.every((id) => id.startsWith(`rss:${oldUrl}#`))).toBe(true)

    // After a restart the source polls the new address and hears nothing twice.
    await core?.stop()
    await rm(join(dir, 'health.json'), { force: true })
    events.length = 0
    const newBefore = server.count('/new.xml')
    const oldBefore = server.count('/old.xml')
    await start()
    await expect.poll(() => server.count('/new.xml'), { timeout: 15_000 }).toBe(newBefore + 1)
    await expect.poll(async () => (await list())[0]?.health.state).toBe('live')
    expect(server.count('/old.xml')).toBe(oldBefore)
    expect(events.filter((e) => e.name === 'mentions:batch')).toEqual([])
  })
})
