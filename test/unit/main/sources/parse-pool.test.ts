import { afterAll, describe, expect, it } from 'vitest'
import { mentionSchema } from '../../../../src/shared/domain'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import { createParsePool } from '../../../../src/main/sources/parse-pool'
import { rssConnector } from '../../../../src/main/sources/rss'
import { startFeedServer } from '../../../fixtures/feed-server'
import { readFeedText } from '../../../fixtures/feed-server'
import { failure } from '../../../fixtures/source-failure'

/* The parse worker pool: untrusted feeds and large JSON answers are read off the main thread, and
   a parse that hangs is ended by the watchdog without stopping anything else. */

const heardSchema = mentionSchema.omit({ triage: true })
const opts = {
  feedUrl: 'https://feed.example/rss',
  sourceId: 'feed-1',
  fetchedAt: 1_790_000_000_000,
}

/**
 * A feed too big to read within a tight budget: 30,000 items, 4.4 MB (under the 5 MB cap), which
 * takes over a second to read on a quiet machine, several times the strict pool's budget. (The old trap, 200,000 unclosed `<script>` openings, took hours while the
 * markup stripper was quadratic; it reads in about a second now.)
 */
const slowFeed =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>Trap</title>' +
  Array.from(
    { length: 30_000 },
    (_, i) =>
      `<item><guid>p${i}</guid><title>Post ${i}</title><link>https://trap.example/${i}</link>` +
      `<description>&lt;p&gt;word ${i}&lt;/p&gt;</description></item>`,
  ).join('') +
  '</channel></rss>'

// Generous enough for a loaded machine to read a normal feed.
const pool = createParsePool({ size: 1, timeoutMs: 3_000 })
// Far too short for the slow feed, with room to hold it, so the watchdog is what ends it. (The
// budget starts when a ready reader takes the job, so a reader's start-up is not in it.)
const strict = createParsePool({ size: 1, timeoutMs: 250, maxMemoryMb: 384 })
afterAll(() => Promise.all([pool.close(), strict.close()]))

describe('the parse worker pool', () => {
  it('reads a feed in a worker into schema-valid mentions', async () => {
    const parsed = await pool.run('feed', readFeedText('blog.rss.xml'), opts)
    expect(parsed.mentions.length).toBeGreaterThan(0)
    for (const mention of parsed.mentions) expect(heardSchema.safeParse(mention).success).toBe(true)
  })

  it("moves a feed's bytes to the worker, which decodes them by their declared charset", async () => {
    const feed = Buffer.from(
      '<?xml version="1.0"?><rss version="2.0"><channel><title>Caf\u00e9</title><item>' +
        '<guid>1</guid><title>Cr\u00e8me br\u00fbl\u00e9e at Acme</title></item></channel></rss>',
      'latin1',
    )
    const bytes = new Uint8Array(feed.byteLength)
    bytes.set(feed)
    const contentType = 'application/rss+xml; charset=ISO-8859-1'
    const parsed = await pool.run('feed-bytes', { bytes, contentType }, opts)
    expect(parsed.title).toBe('Caf\u00e9')
    expect(parsed.mentions[0]?.title).toBe('Cr\u00e8me br\u00fbl\u00e9e at Acme')
    // Moved, not copied: the main thread no longer holds them.
    expect(bytes.byteLength).toBe(0)
  })

  it('copies bytes it may not move, and leaves them whole', async () => {
    const pooled = Buffer.from(
      '<rss version="2.0"><channel><item><guid>1</guid><title>Acme</title></item></channel></rss>',
    )
    const parsed = await pool.run('feed-bytes', { bytes: pooled, contentType: null }, opts)
    expect(parsed.mentions).toHaveLength(1)
    expect(pooled.toString()).toContain('<title>Acme</title>')
  })

  it('passes a parse error back typed and in words', async () => {
    const error = await failure(pool.run('feed', '<html><body>Sign in</body></html>', opts))
    expect(error.kind).toBe('parse')
    expect(error.message).toBe('This address returned a web page, not a feed')
  })

  it('ends a parse that hangs, keeps the main thread free meanwhile, and reads on with a new worker', async () => {
    let ticks = 0
    const ticker = setInterval(() => ticks++, 10)
    try {
      const error = await failure(strict.run('feed', slowFeed, opts))
      expect(error.kind).toBe('parse')
      expect(error.message).toBe('The answer took longer than 250 ms to read, so it was refused')
    } finally {
      clearInterval(ticker)
    }
    // The main thread went on with its own work while the worker was stuck.
    expect(ticks).toBeGreaterThan(5)
    const parsed = await strict.run('feed', readFeedText('release-notes.atom.xml'), opts)
    expect(parsed.mentions.length).toBeGreaterThan(0)
  })

  it('fails an RSS poll of the hostile feed as a parse error, through the connector', async () => {
    const server = await startFeedServer()
    try {
      server.route('/trap', {
        body: slowFeed,
        headers: { 'content-type': 'application/rss+xml' },
      })
      const http = createHttpClient({ userAgent: userAgent('0.1.0-test'), timeoutMs: 10_000 })
      const source = {
        id: 'trap',
        kind: 'rss' as const,
        name: 'Trap',
        url: `${server.origin}/trap`,
        paused: false,
        intervalSec: 900,
        createdAt: 0,
      }
      const error = await failure(
        rssConnector.poll(source, undefined, { http, now: () => opts.fetchedAt, parser: strict }),
      )
      expect(error.kind).toBe('parse')
      expect(error.message).toMatch(/took longer than 250 ms to read/)
    } finally {
      await server.close()
    }
  })

  it('lets an idle reader exit, and starts a fresh one for the next parse', async () => {
    const brief = createParsePool({ size: 2, idleMs: 150 })
    try {
      await brief.run('feed', readFeedText('blog.rss.xml'), opts)
      expect(brief.workers()).toBe(1)
      await new Promise((resolve) => setTimeout(resolve, 600))
      expect(brief.workers()).toBe(0)
      const parsed = await brief.run('feed', readFeedText('blog.rss.xml'), opts)
      expect(parsed.mentions.length).toBeGreaterThan(0)
      expect(brief.workers()).toBe(1)
    } finally {
      await brief.close()
    }
  })

  it('keeps one reader for quick parses and starts a second only behind a slow one', async () => {
    const lazy = createParsePool({
      size: 2,
      // Well under the slow feed's second, well over a small feed's parse on a loaded machine.
      spareAfterMs: 300,
      timeoutMs: 60_000,
      maxMemoryMb: 384,
    })
    try {
      const small = readFeedText('blog.rss.xml')
      await lazy.run('feed', small, opts)
      // A burst of quick parses: they queue for a moment behind one reader, which keeps up.
      await Promise.all(Array.from({ length: 6 }, () => lazy.run('feed', small, opts)))
      expect(lazy.workers()).toBe(1)
      // A slow answer must not hold the others up: a second reader takes them meanwhile.
      let slowDone = false
      const slow = lazy.run('feed', slowFeed, opts).then(() => (slowDone = true))
      const quick = await lazy.run('feed', small, opts)
      expect(quick.mentions.length).toBeGreaterThan(0)
      expect(slowDone).toBe(false)
      expect(lazy.workers()).toBe(2)
      await slow
    } finally {
      await lazy.close()
    }
  }, 60_000)

  it('starts no second reader for a long queue of quick parses', async () => {
    // A poll cycle hands the reader many feeds at once: together they wait far longer than
    // spareAfterMs, but none is slow, and a cold second reader would cost more than it saves.
    const busy = createParsePool({ size: 2, spareAfterMs: 150, timeoutMs: 60_000 })
    try {
      const small = readFeedText('blog.rss.xml')
      await busy.run('feed', small, opts)
      const started = performance.now()
      // Enough of them that the queue outlasts spareAfterMs several times over, on a quick
      // machine too (150 took 135 ms on a quiet one).
      await Promise.all(Array.from({ length: 600 }, () => busy.run('feed', small, opts)))
      expect(performance.now() - started).toBeGreaterThan(150)
      expect(busy.workers()).toBe(1)
    } finally {
      await busy.close()
    }
  }, 60_000)

  it('reads a large JSON answer off the thread', async () => {
    const hits = Array.from({ length: 800 }, (_, i) => ({
      objectID: String(1000 + i),
      created_at_i: 1_790_000_000 - i,
      author: 'someone',
      title: `Story ${i}`,
      url: `https://example.com/${i}`,
      comment_text: null,
      story_text: 'x'.repeat(300),
      _tags: ['story'],
    }))
    const body = JSON.stringify({ hits, page: 0, nbPages: 1 })
    expect(body.length).toBeGreaterThan(256 * 1024)
    const page = await pool.run('hn-page', body)
    expect(page.hits).toHaveLength(800)
  })
})
