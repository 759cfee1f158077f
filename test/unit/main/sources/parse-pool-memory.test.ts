import { afterAll, describe, expect, it } from 'vitest'
import { SourceError } from '../../../../src/main/sources/connector'
import { createParsePool } from '../../../../src/main/sources/parse-pool'

/* The parse worker's memory limit: a feed that needs more heap than the worker may have ends that
   worker (V8 stops it at `resourceLimits`), the poll fails in words, and the pool reads on. */

const opts = {
  feedUrl: 'https://feed.example/rss',
  sourceId: 'feed-1',
  fetchedAt: 1_790_000_000_000,
}
const item = (n: number) =>
  `<item><title>Post ${n}</title><guid>g${n}</guid><link>https://f.example/${n}</link>` +
  `<description>${'Acme words here. '.repeat(20)}</description></item>`
const feed = (items: number) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>${Array.from(
    { length: items },
    (_, n) => item(n),
  ).join('')}</channel></rss>`

const pool = createParsePool({ size: 1, timeoutMs: 60_000, maxMemoryMb: 32 })
afterAll(() => pool.close())

describe('the parse worker memory limit', () => {
  it('refuses a feed too large to read within the limit, then reads a small one', async () => {
    // A warm worker first, so the limit is met by the parse and not by start-up.
    expect((await pool.run('feed', feed(3), opts)).mentions).toHaveLength(3)
    let error: unknown = null
    try {
      await pool.run('feed', feed(12_000), opts)
    } catch (cause) {
      error = cause
    }
    expect(error).toBeInstanceOf(SourceError)
    expect((error as SourceError).kind).toBe('parse')
    expect((error as SourceError).message).toBe(
      'The answer needed more memory to read than Earshot allows, so it was refused',
    )
    expect((await pool.run('feed', feed(3), opts)).mentions).toHaveLength(3)
  }, 90_000)
})
