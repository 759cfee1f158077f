import { getEventListeners } from 'node:events'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HttpClientOptions } from '../../../../src/main/sources/http'
import {
  MAX_RETRY_AFTER_MS,
  createHttpClient,
  parseRateLimitReset,
  parseRetryAfter,
  userAgent,
} from '../../../../src/main/sources/http'
import type { FeedServer } from '../../../fixtures/feed-server'
import { gzipBomb, startFeedServer } from '../../../fixtures/feed-server'
import { failure } from '../../../fixtures/source-failure'

let server: FeedServer

beforeEach(async () => {
  server = await startFeedServer()
})
afterEach(async () => {
  await server.close()
})

const client = (opts: Partial<HttpClientOptions> = {}) =>
  createHttpClient({ userAgent: userAgent('0.1.0-test'), ...opts })

describe('userAgent', () => {
  it('names the app, its version and a contact URL', () => {
    expect(userAgent('0.1.0')).toBe('Earshot/0.1.0 (+https://github.com/earshot-app/earshot)')
  })
})

describe('createHttpClient', () => {
  it('fetches a body with the User-Agent and lower-cased headers', async () => {
    server.route('/feed', {
      headers: { 'Content-Type': 'application/rss+xml', ETag: '"v1"' },
      body: '<rss/>',
    })
    const response = await client().get(server.url('/feed'))
    expect(response).toMatchObject({
      status: 200,
      url: server.url('/feed'),
      body: '<rss/>',
      notModified: false,
      movedTo: null,
    })
    expect(response.headers['etag']).toBe('"v1"')
    expect(server.requests[0]?.headers['user-agent']).toBe(userAgent('0.1.0-test'))
  })

  it("lets a connector's own User-Agent replace the default, whatever its spelling", async () => {
    server.route('/feed', { body: '<rss/>' })
    const reddit = 'desktop:earshot:0.1.0 (by /u/acme)'
    await client().get(server.url('/feed'), { headers: { 'User-Agent': reddit } })
    await client().get(server.url('/feed'), { headers: { accept: 'application/json' } })
    expect(server.requests.map((r) => r.headers['user-agent'])).toEqual([
      reddit,
      userAgent('0.1.0-test'),
    ])
  })

  it('decodes gzip bodies', async () => {
    server.route('/gz', { body: 'compressed feed', gzip: true })
    expect((await client().get(server.url('/gz'))).body).toBe('compressed feed')
  })

  it('gives up on a body that drips in slower than the deadline', async () => {
    // Headers arrive at once; the body never finishes within the 300 ms budget.
    server.route('/slow', { body: '<rss>', drip: { chunks: 200, intervalMs: 50 } })
    const error = await failure(client({ timeoutMs: 300 }).get(server.url('/slow')))
    expect(error.kind).toBe('timeout')
    expect(error.message).toMatch(/did not answer within/)
  })

  it('gives up on a server that is slow to send headers', async () => {
    server.route('/stalled', { body: '<rss/>', delayMs: 5_000 })
    const error = await failure(client({ timeoutMs: 200 }).get(server.url('/stalled')))
    expect(error.kind).toBe('timeout')
  })

  it('stops a gzip bomb at the decoded-size cap', async () => {
    const bomb = gzipBomb(32 * 1024 * 1024)
    expect(bomb.byteLength).toBeLessThan(1024 * 1024)
    server.route('/bomb', { headers: { 'content-encoding': 'gzip' }, body: bomb })
    const error = await failure(client({ maxBytes: 1024 * 1024 }).get(server.url('/bomb')))
    expect(error.kind).toBe('too-large')
    expect(error.message).toMatch(/more than 1 MB/)
  })

  it('refuses a plain body over the cap', async () => {
    server.route('/big', { body: 'x'.repeat(4096) })
    const error = await failure(client({ maxBytes: 1000 }).get(server.url('/big')))
    expect(error.kind).toBe('too-large')
  })

  it('echoes validators verbatim and reports 304 as not modified', async () => {
    const etag = 'W/"5e1-Qz+Tk/9"'
    const lastModified = 'Tue, 29 Sep 2026 08:14:02 GMT'
    server.route('/feed', (request) =>
      request.headers['if-none-match'] === etag &&
      request.headers['if-modified-since'] === lastModified
        ? { status: 304, headers: { etag } }
        : { headers: { etag, 'last-modified': lastModified }, body: '<rss/>' },
    )
    const http = client()
    const first = await http.get(server.url('/feed'))
    expect(first.notModified).toBe(false)
    const second = await http.get(server.url('/feed'), {
      etag: first.headers['etag'] ?? null,
      lastModified: first.headers['last-modified'] ?? null,
    })
    expect(second).toMatchObject({ status: 304, notModified: true, body: '' })
    expect(server.requests[1]?.headers['if-none-match']).toBe(etag)
    expect(server.requests[1]?.headers['if-modified-since']).toBe(lastModified)
  })

  it.each([
    ['delta seconds', '120', 120_000],
    ['an HTTP date', 'Wed, 30 Sep 2026 12:05:00 GMT', 300_000],
    ['garbage', 'soon-ish', undefined],
    ['a huge value', '999999999', MAX_RETRY_AFTER_MS],
  ])('turns 429 with Retry-After as %s into a rate-limit error', async (_name, value, expected) => {
    server.route('/limited', { status: 429, headers: { 'retry-after': value } })
    const now = () => Date.parse('Wed, 30 Sep 2026 12:00:00 GMT')
    const error = await failure(client({ now }).get(server.url('/limited')))
    expect(error.kind).toBe('rate-limited')
    expect(error.details.status).toBe(429)
    expect(error.details.retryAfterMs).toBe(expected)
    expect(error.message).toMatch(/slow down/)
  })

  it('waits for the reset header when a 429 has no Retry-After (Mastodon)', async () => {
    server.route('/masto', {
      status: 429,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-09-30T12:04:00.000Z' },
    })
    const now = () => Date.parse('2026-09-30T12:00:00Z')
    const error = await failure(client({ now }).get(server.url('/masto')))
    expect(error).toMatchObject({ kind: 'rate-limited', details: { retryAfterMs: 240_000 } })
  })

  it('treats 503 as a rate limit too', async () => {
    server.route('/busy', { status: 503, headers: { 'retry-after': '30' } })
    const error = await failure(client().get(server.url('/busy')))
    expect(error).toMatchObject({
      kind: 'rate-limited',
      details: { status: 503, retryAfterMs: 30_000 },
    })
  })

  it('describes other failures in plain words', async () => {
    const error = await failure(client().get(server.url('/missing'), { subject: 'The feed' }))
    expect(error).toMatchObject({ kind: 'http', message: 'The feed answered 404 Not Found' })
    expect(error.details.status).toBe(404)
    server.route('/private', { status: 401 })
    expect((await failure(client().get(server.url('/private')))).kind).toBe('auth')
  })

  it('follows up to five redirects and refuses a sixth', async () => {
    for (let i = 0; i < 6; i++) {
      server.route(`/r${i}`, { status: 302, headers: { location: `/r${i + 1}` } })
    }
    server.route('/r6', { body: 'arrived' })
    const fromFive = await client().get(server.url('/r1'))
    expect(fromFive).toMatchObject({ body: 'arrived', url: server.url('/r6') })
    const error = await failure(client().get(server.url('/r0')))
    expect(error.kind).toBe('http')
    expect(error.message).toMatch(/redirected more than 5 times/)
  })

  it('reports where a resource moved only when every redirect was permanent', async () => {
    server.route('/old', { status: 301, headers: { location: '/older' } })
    server.route('/older', { status: 308, headers: { location: '/new' } })
    server.route('/new', { body: 'here' })
    server.route('/temp', { status: 302, headers: { location: '/old' } })
    server.route('/mixed', { status: 301, headers: { location: '/temp' } })
    expect((await client().get(server.url('/old'))).movedTo).toBe(server.url('/new'))
    expect((await client().get(server.url('/temp'))).movedTo).toBeNull()
    expect((await client().get(server.url('/mixed'))).movedTo).toBe(server.url('/temp'))
  })

  it('drops credentials on a redirect to another origin', async () => {
    const other = await startFeedServer({ '/landing': { body: 'ok' } })
    try {
      server.route('/away', { status: 302, headers: { location: other.url('/landing') } })
      await client().get(server.url('/away'), { headers: { authorization: 'Bearer canary' } })
      expect(server.requests[0]?.headers['authorization']).toBe('Bearer canary')
      expect(other.requests[0]?.headers['authorization']).toBeUndefined()
    } finally {
      await other.close()
    }
  })

  it('reports a refused connection as a network problem', async () => {
    const closed = await startFeedServer()
    const url = closed.url('/feed')
    await closed.close()
    const error = await failure(client().get(url))
    expect(error.kind).toBe('network')
    expect(error.message).toMatch(/refused the connection|Could not reach/)
    // Nothing reached the server: a reply may be sent again.
    expect(error.details.neverSent).toBe(true)
  })

  it('reports a cancelled check as such', async () => {
    server.route('/slow', { body: '<rss>', drip: { chunks: 200, intervalMs: 50 } })
    const controller = new AbortController()
    const pending = client().get(server.url('/slow'), { signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    const error = await failure(pending)
    expect(error).toMatchObject({ kind: 'network', message: 'The check was cancelled' })
  })

  it('leaves the body undecoded when asked to keep the bytes', async () => {
    const latin1 = Buffer.from('<title>Caf\u00e9</title>', 'latin1')
    server.route('/feed', {
      headers: { 'content-type': 'text/xml; charset=ISO-8859-1' },
      body: latin1,
    })
    const response = await client().get(server.url('/feed'), { keepBytes: true })
    expect(response.body).toBe('')
    expect(Buffer.from(response.bytes ?? []).equals(latin1)).toBe(true)
    expect(response.headers['content-type']).toBe('text/xml; charset=ISO-8859-1')
  })

  it('lets go of a long-lived signal once each request is done', async () => {
    // The poller's and the outbox's signals outlive many requests: none may pile up on them.
    server.route('/feed', { body: '<rss></rss>' })
    const controller = new AbortController()
    const http = client()
    for (let i = 0; i < 5; i++) await http.get(server.url('/feed'), { signal: controller.signal })
    await failure(http.get(server.url('/missing'), { signal: controller.signal }))
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })

  it('is cancelled by a signal that was already aborted', async () => {
    server.route('/feed', { body: '<rss></rss>' })
    const error = await failure(client().get(server.url('/feed'), { signal: AbortSignal.abort() }))
    expect(error).toMatchObject({ kind: 'network', message: 'The check was cancelled' })
  })

  it('decodes by the declared charset, the XML declaration or a BOM', async () => {
    const latin1 = Buffer.from('<title>Café</title>', 'latin1')
    const declared = Buffer.concat([
      Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>'),
      latin1,
    ])
    server.route('/header', {
      headers: { 'content-type': 'text/xml; charset=ISO-8859-1' },
      body: latin1,
    })
    server.route('/declared', { headers: { 'content-type': 'text/xml' }, body: declared })
    server.route('/bom', { body: Buffer.from('\uFEFF<title>Café</title>', 'utf8') })
    server.route('/liar', {
      headers: { 'content-type': 'text/xml; charset=iso-8859-1' },
      body: Buffer.from('<title>Café</title>', 'utf8'),
    })
    server.route('/nonsense', {
      headers: { 'content-type': 'text/xml; charset=klingon' },
      body: Buffer.from('<title>Café</title>', 'utf8'),
    })
    const http = client()
    for (const path of ['/header', '/declared', '/bom', '/liar', '/nonsense']) {
      expect((await http.get(server.url(path))).body).toMatch(/<title>Café<\/title>$/)
    }
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 30 Sep 2026 12:00:00 GMT')
  it.each<[string | null | undefined, number | null]>([
    ['120', 120_000],
    [' 0 ', 0],
    ['Wed, 30 Sep 2026 12:05:00 GMT', 300_000],
    ['Wed Sep 30 12:01:00 2026', 60_000],
    ['Wed, 30 Sep 2026 11:00:00 GMT', 0],
    ['Fri, 01 Jan 2100 00:00:00 GMT', MAX_RETRY_AFTER_MS],
    ['99999999999999999999', MAX_RETRY_AFTER_MS],
    ['soon', null],
    ['', null],
    ['-5', null],
    ['1.5', null],
    ['1', 1000],
    ['Mon, 99 Foo 2026 99:99:99 GMT', null],
    [null, null],
    [undefined, null],
  ])('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected)
  })
})

describe('parseRateLimitReset', () => {
  const now = Date.parse('2026-09-30T12:00:00Z')
  it.each<[Record<string, string>, number | null]>([
    [{ 'x-ratelimit-reset': '2026-09-30T12:05:00.000Z' }, 300_000], // Mastodon: ISO datetime
    [{ 'ratelimit-reset': String(now / 1000 + 90) }, 90_000], // Bluesky: epoch seconds
    [{ 'x-ratelimit-reset': '42' }, 42_000], // Reddit: seconds remaining
    [{ 'x-ratelimit-reset': '2026-09-30T11:00:00Z' }, 0],
    [{ 'x-ratelimit-reset': '2027-01-01T00:00:00Z' }, MAX_RETRY_AFTER_MS],
    [{ 'x-ratelimit-reset': 'tomorrow' }, null],
    [{ 'x-ratelimit-reset': '2026-09-30' }, null],
    [{}, null],
  ])('%j → %j', (headers, expected) => {
    expect(parseRateLimitReset(new Headers(headers), now)).toBe(expected)
  })
})
