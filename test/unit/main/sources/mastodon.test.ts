import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { HeardMention } from '../../../../src/shared/domain'
import { mentionSchema } from '../../../../src/shared/domain'
import type { PollResult, SourceCursor } from '../../../../src/main/sources/connector'
import { SourceError } from '../../../../src/main/sources/connector'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import {
  compareIds,
  MAX_PAGES_PER_TAG,
  mastodonConnector,
  parseTimeline,
  SIGNED_IN_ONLY,
  statusToMention,
} from '../../../../src/main/sources/mastodon'
import { createParsePool, type ParsePool } from '../../../../src/main/sources/parse-pool'
import { pollSourceOnce } from '../../../../src/main/sources/poll-once'
import type {
  MastodonConfig,
  MastodonServer,
  MastodonStatusJson,
} from '../../../fixtures/mastodon-server'
import {
  mastodonSource,
  account,
  INSTANCE_HOST,
  reblog,
  startMastodonServer,
  status,
} from '../../../fixtures/mastodon-server'
import { mutateText, seeded } from '../../../fixtures/seeded'
import { failure } from '../../../fixtures/source-failure'

const heardSchema = mentionSchema.omit({ triage: true })
const NOW = Date.parse('2026-10-01T12:00:00Z')
const http = createHttpClient({ userAgent: userAgent('0.1.0-test'), timeoutMs: 5_000 })
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString()

let server: MastodonServer
beforeEach(async () => {
  server = await startMastodonServer()
})
afterEach(async () => {
  await server.close()
})

const source = (extra: Partial<MastodonConfig> = {}) => mastodonSource(server.origin, extra)

function poll(cursor?: SourceCursor, extra: Partial<MastodonConfig> = {}): Promise<PollResult> {
  return mastodonConnector.poll(source(extra), cursor, { http, now: () => NOW })
}

const timelineRequests = () =>
  server.requests.filter((r) => r.path.startsWith('/api/v1/timelines/tag/'))
const ids = (result: PollResult) => result.mentions.map((m) => m.id)
const uriOf = (id: string, user = 'carol') =>
  `mastodon:https://${INSTANCE_HOST}/users/${user}/statuses/${id}`
/** `count` statuses tagged #acme with consecutive snowflake ids from `first`, a minute apart. */
const burst = (first: bigint, count: number): MastodonStatusJson[] =>
  Array.from({ length: count }, (_, i) =>
    status(String(first + BigInt(i)), at(count - i), `Acme post ${i}`, ['acme']),
  )

describe('large Mastodon pages', () => {
  const real = createParsePool({ size: 1, timeoutMs: 20_000 })
  afterAll(() => real.close())
  /** The real worker pool, noting which answers went through it. */
  const recording = (tasks: string[]): ParsePool => ({
    ...real,
    run: (task, ...args) => {
      tasks.push(task)
      return real.run(task, ...args)
    },
  })

  it('are read by the parse worker, small ones in place, with the same mentions', async () => {
    const tasks: string[] = []
    const parser = recording(tasks)
    const pollWith = (cursor?: SourceCursor) =>
      mastodonConnector.poll(source(), cursor, { http, now: () => NOW, parser })
    server.statuses.push(status('113200000000000001', at(30), 'Acme small page', ['acme']))
    const small = await pollWith()
    expect(ids(small)).toEqual([uriOf('113200000000000001')])
    expect(tasks).toEqual([])
    // 40 posts of 8 kB: a 330 kB page from an instance nobody vouches for.
    const long = 'Acme long read. '.repeat(512)
    server.statuses.length = 0
    server.statuses.push(
      ...Array.from({ length: 40 }, (_, i) =>
        status(String(113300000000000000n + BigInt(i)), at(20 - i / 10), `${long} ${i}`, ['acme']),
      ),
    )
    const large = await pollWith()
    expect(tasks).toEqual(['mastodon-timeline'])
    expect(large.mentions).toHaveLength(40)
    expect(large.mentions.every((m) => m.text.startsWith('Acme long read.'))).toBe(true)
    for (const mention of large.mentions) expect(heardSchema.safeParse(mention).success).toBe(true)
  }, 30_000)
})

describe('mastodonConnector on tag timelines', () => {
  it('turns statuses into plain-text mentions with author, followers and links', async () => {
    const carol = account('carol', {
      acct: 'carol@chaos.example',
      display_name: 'Carol',
      followers_count: 120,
    })
    server.statuses.push(
      status(
        '113200000000000002',
        at(5),
        'Acme Cloud outage again? It&#39;s &lt;3 hours',
        ['acme'],
        {
          account: carol,
          uri: 'https://chaos.example/users/carol/statuses/113199999999999999',
          url: 'https://chaos.example/@carol/113199999999999999',
        },
      ),
      status(
        '113200000000000001',
        at(10),
        'Plans for <span class="h-card"><a href="https://mastodon.example/@acme" class="u-url mention">@<span>acme</span></a></span></p><p>second para',
        ['acme'],
        {
          account: account('bob', { display_name: '', followers_count: 3 }),
          spoiler_text: 'pricing &amp; plans',
        },
      ),
    )
    const result = await poll()
    expect(result.mentions).toEqual([
      {
        id: uriOf('113200000000000001', 'bob'),
        sourceId: 'mastodon-1',
        platform: 'mastodon',
        url: `https://${INSTANCE_HOST}/@bob/113200000000000001`,
        author: {
          // A local account's bare acct gains the instance's host.
          id: 'mastodon:bob@127.0.0.1',
          name: 'bob',
          handle: '@bob@127.0.0.1',
          url: `https://${INSTANCE_HOST}/@bob`,
          followers: 3,
        },
        title: 'pricing & plans',
        text: 'Plans for @acme\n\nsecond para #acme',
        createdAt: NOW - 10 * 60_000,
        fetchedAt: NOW,
        // A post that answers nothing starts its own thread.
        threadId: uriOf('113200000000000001', 'bob'),
        platformRef: {
          statusId: '113200000000000001',
          uri: `https://${INSTANCE_HOST}/users/bob/statuses/113200000000000001`,
          instance: server.origin,
          visibility: 'public',
        },
        stats: { replies: 0, likes: 1, reposts: 0 },
      },
      {
        id: 'mastodon:https://chaos.example/users/carol/statuses/113199999999999999',
        sourceId: 'mastodon-1',
        platform: 'mastodon',
        url: 'https://chaos.example/@carol/113199999999999999',
        author: {
          id: 'mastodon:carol@chaos.example',
          name: 'Carol',
          handle: '@carol@chaos.example',
          url: 'https://chaos.example/@carol',
          followers: 120,
        },
        text: "Acme Cloud outage again? It's <3 hours #acme",
        createdAt: NOW - 5 * 60_000,
        fetchedAt: NOW,
        threadId: 'mastodon:https://chaos.example/users/carol/statuses/113199999999999999',
        // The id local to the configured instance, for threads and replies there.
        platformRef: {
          statusId: '113200000000000002',
          uri: 'https://chaos.example/users/carol/statuses/113199999999999999',
          instance: server.origin,
          visibility: 'public',
        },
        stats: { replies: 0, likes: 1, reposts: 0 },
      },
    ])
    for (const mention of result.mentions) expect(heardSchema.safeParse(mention).success).toBe(true)
    expect(Object.fromEntries(timelineRequests()[0]?.params ?? [])).toEqual({ limit: '40' })
    expect(result.cursor).toEqual({ minIds: { acme: '113200000000000002' } })
  })

  it('hears a boost as the post it shares, once, keyed by its uri', async () => {
    const original = status('113200000000000010', at(30), 'Acme rocks', ['acme'], {
      account: account('erin', { acct: 'erin@other.example', followers_count: 5000 }),
      uri: 'https://other.example/users/erin/statuses/42',
      url: 'https://other.example/@erin/42',
    })
    server.statuses.push(original, reblog('113200000000000011', at(1), original))
    const result = await poll()
    expect(result.mentions).toHaveLength(1)
    expect(result.mentions[0]).toMatchObject({
      id: 'mastodon:https://other.example/users/erin/statuses/42',
      url: 'https://other.example/@erin/42',
      author: { id: 'mastodon:erin@other.example', followers: 5000 },
      text: 'Acme rocks #acme',
    })
    // The cursor follows the timeline's own ids, the boost's included.
    expect(result.cursor).toEqual({ minIds: { acme: '113200000000000011' } })
  })

  it('polls each hashtag with min_id from the cursor, and overlapping polls give no duplicates', async () => {
    server.statuses.push(...burst(113200000000000100n, 3))
    server.statuses.push(status('113200000000000200', at(2), 'Cloud news', ['acmecloud']))
    const first = await poll(undefined, { hashtags: ['acme', 'AcmeCloud'] })
    expect(first.mentions).toHaveLength(4)
    expect(first.cursor).toEqual({
      minIds: { acme: '113200000000000102', acmecloud: '113200000000000200' },
    })

    server.statuses.push(...burst(113200000000000103n, 2))
    const second = await poll(first.cursor, { hashtags: ['acme', 'AcmeCloud'] })
    expect(ids(second)).toEqual([uriOf('113200000000000103'), uriOf('113200000000000104')])
    const sent = timelineRequests().slice(2)
    expect(sent.map((r) => [r.path, r.params.get('min_id')])).toEqual([
      ['/api/v1/timelines/tag/acme', '113200000000000102'],
      ['/api/v1/timelines/tag/acmecloud', '113200000000000200'],
    ])
    const third = await poll(second.cursor, { hashtags: ['acme', 'AcmeCloud'] })
    expect(third.mentions).toEqual([])
    expect(third.cursor).toEqual(second.cursor)
  })

  it('compares ids as integers: a longer id is newer even when it sorts first as text', async () => {
    expect(compareIds('99', '100')).toBe(-1)
    expect(compareIds('9223372036854775807', '9223372036854775808')).toBe(-1)
    // Beyond 2^53 JS numbers would call these two equal.
    expect(compareIds('1132000000000000001', '1132000000000000000')).toBe(1)
    expect(Number('1132000000000000001')).toBe(Number('1132000000000000000'))

    server.statuses.push(
      status('99', at(3), 'old', ['acme']),
      status('100', at(2), 'new', ['acme']),
    )
    const result = await poll({ minIds: { acme: '98' } })
    expect(result.cursor).toEqual({ minIds: { acme: '100' } })
    server.statuses.push(status('1000', at(1), 'newer', ['acme']))
    const next = await poll(result.cursor)
    expect(ids(next)).toEqual([uriOf('1000')])
  })

  it('takes only the newest page on the first poll', async () => {
    server.statuses.push(...burst(113200000000000000n, 100))
    const result = await poll()
    expect(timelineRequests()).toHaveLength(1)
    expect(result.mentions).toHaveLength(40)
    expect(result.cursor).toEqual({ minIds: { acme: '113200000000000099' } })
  })

  it('follows full pages forward, capped per poll, and catches up on the next', async () => {
    server.statuses.push(...burst(113200000000000000n, 1))
    const first = await poll()
    server.statuses.push(...burst(113200000000000001n, 200))
    const second = await poll(first.cursor)
    expect(timelineRequests()).toHaveLength(1 + MAX_PAGES_PER_TAG)
    expect(second.mentions).toHaveLength(MAX_PAGES_PER_TAG * 40)
    // Each page asks for what comes right after the previous page's newest post (Link rel="prev").
    expect(timelineRequests().map((r) => r.params.get('min_id'))).toEqual([
      null,
      '113200000000000000',
      '113200000000000040',
      '113200000000000080',
      '113200000000000120',
    ])
    const third = await poll(second.cursor)
    expect(third.mentions).toHaveLength(40)
    expect(ids(third).at(-1)).toBe(uriOf('113200000000000200'))
  })

  it('clamps a date from the future to the fetch time', async () => {
    server.statuses.push(status('5', '2030-01-01T00:00:00.000Z', 'Acme', ['acme']))
    server.statuses.push(status('6', 'not a date', 'Acme', ['acme']))
    const result = await poll()
    expect(result.mentions.map((m) => m.createdAt)).toEqual([NOW, NOW])
  })

  it('defers until X-RateLimit-Reset when X-RateLimit-Remaining is 0, keeping the cursor', async () => {
    server.statuses.push(...burst(113200000000000000n, 2))
    server.remaining = 1
    server.override = (_, __, count) =>
      count === 1
        ? {
            headers: { 'x-ratelimit-reset': new Date(NOW + 90_000).toISOString() },
            body: JSON.stringify(server.statuses),
          }
        : undefined
    const error = await failure(poll({ minIds: { acme: '1' } }))
    expect(error.kind).toBe('rate-limited')
    expect(error.details.retryAfterMs).toBe(90_000)
    expect(error.message).toMatch(/no requests left/)
  })

  it('reports a 429 as rate-limited', async () => {
    server.override = () => ({
      status: 429,
      headers: { 'x-ratelimit-remaining': '0', 'retry-after': '30' },
      body: '{"error":"Too many requests"}',
    })
    const error = await failure(poll())
    expect(error.kind).toBe('rate-limited')
    expect(error.details.retryAfterMs).toBe(30_000)
  })

  it.each([401, 403])('explains a %i from an instance that hides tag timelines', async (code) => {
    server.override = () => ({
      status: code,
      body: '{"error":"This method requires an authenticated user"}',
    })
    const error = await failure(poll())
    expect(error.kind).toBe('auth')
    expect(error.message).toBe(SIGNED_IN_ONLY)
  })

  it('skips a tag the instance has never seen, but not an address that is no Mastodon', async () => {
    server.unknownTags.add('brandnew')
    server.statuses.push(status('7', at(1), 'Acme', ['acme']))
    const result = await poll(undefined, { hashtags: ['brandnew', 'acme'] })
    expect(ids(result)).toEqual([uriOf('7')])
    const error = await failure(poll(undefined, { hashtags: ['brandnew'] }))
    expect(error.kind).toBe('http')
    expect(error.message).toMatch(/404 Not Found for every hashtag/)
  })
})

describe('malformed answers', () => {
  const valid = [status('113200000000000002', at(1), 'Acme', ['acme'])]
  const first = valid[0] as MastodonStatusJson
  const cases: [string, string, RegExp][] = [
    ['an HTML page with 200', '<!doctype html><html><body>Oops</body></html>', /web page/],
    ['truncated JSON', JSON.stringify(valid).slice(0, 80), /not complete JSON/],
    ['an empty body', '', /empty/],
    ['an object, not a list', '{"statuses":[]}', /list of posts/],
    ['an error object', '{"error":"Record not found"}', /Record not found/],
    ['JSON null', 'null', /list of posts/],
    ['a numeric id', JSON.stringify([{ ...first, id: 1132000 }]), /post 1, id/],
    ['an id that is not a number', JSON.stringify([{ ...first, id: 'abc' }]), /post 1, id/],
    ['no account', JSON.stringify([{ ...first, account: undefined }]), /account/],
    ['content not text', JSON.stringify([{ ...first, content: 5 }]), /content/],
    ['a broken reblog', JSON.stringify([{ ...first, reblog: { id: '1' } }]), /reblog/],
  ]

  it.each(cases)('refuses %s with a parse error in plain words', async (_, body, words) => {
    server.override = () => ({ body })
    const error = await failure(poll())
    expect(error.kind).toBe('parse')
    expect(error.message).toMatch(words)
    expect(error.message).toMatch(/^Mastodon at 127\.0\.0\.1/)
  })
})

describe('fuzzing', () => {
  const sample = [
    status('113200000000000003', at(1), 'Off <i>Acme</i> &amp; gone', ['acme'], {
      spoiler_text: 'cw',
    }),
    reblog('113200000000000002', at(2), status('113200000000000001', at(3), 'Acme', ['acme'])),
  ]
  const body = JSON.stringify(sample)
  const values: unknown[] = [null, 0, -1, 1e308, '', 'x'.repeat(30_000), [], {}, true, '\uD800']

  function mutateValue(random: () => number): string {
    const json = JSON.parse(body) as Record<string, unknown>[]
    const top = json[Math.floor(random() * json.length)] ?? {}
    const inner = random() < 0.5 ? top : ((top['account'] as Record<string, unknown>) ?? top)
    const keys = Object.keys(inner)
    const key = keys[Math.floor(random() * keys.length)] ?? 'id'
    if (random() < 0.2) delete inner[key]
    else inner[key] = values[Math.floor(random() * values.length)]
    return JSON.stringify(json)
  }

  it('mutated answers give schema-valid mentions or a parse error, 300 times', () => {
    const random = seeded(20261002)
    let parsed = 0
    for (let round = 0; round < 300; round++) {
      const text = round % 2 === 0 ? mutateText(body, random) : mutateValue(random)
      try {
        const statuses = parseTimeline(text, 'Mastodon')
        const mentions: HeardMention[] = statuses.map((s) =>
          statusToMention(s, 'mastodon-1', INSTANCE_HOST, NOW),
        )
        for (const mention of mentions) {
          expect(heardSchema.safeParse(mention).success, `round ${round}`).toBe(true)
        }
        parsed++
      } catch (cause) {
        expect(cause, `round ${round}`).toBeInstanceOf(SourceError)
        expect((cause as SourceError).kind).toBe('parse')
      }
    }
    expect(parsed).toBeGreaterThan(30)
    expect(parsed).toBeLessThan(300)
  })
})

describe('pollSourceOnce', () => {
  it('polls a Mastodon source once, as the CLI does', async () => {
    server.statuses.push(status('9', at(1), 'Acme', ['acme']))
    const result = await pollSourceOnce(source(), { http, now: () => NOW })
    expect(ids(result)).toEqual([uriOf('9')])
  })
})
