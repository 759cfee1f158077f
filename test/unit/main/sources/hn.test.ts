import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { BrandProfile, HeardMention, SourceConfig } from '../../../../src/shared/domain'
import { mentionSchema, sourceConfigSchema } from '../../../../src/shared/domain'
import type { PollResult, SourceCursor } from '../../../../src/main/sources/connector'
import { SourceError } from '../../../../src/main/sources/connector'
import {
  createHnConnector,
  hitToMention,
  hnPlainText,
  parseHnPage,
} from '../../../../src/main/sources/hn'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import { pollSourceOnce } from '../../../../src/main/sources/poll-once'
import { hnQueries } from '../../../../src/shared/hn-query'
import type { HnHit, HnServer } from '../../../fixtures/hn-server'
import { comment, search, startHnServer, story } from '../../../fixtures/hn-server'
import { mutateText, seeded } from '../../../fixtures/seeded'
import { failure } from '../../../fixtures/source-failure'

const heardSchema = mentionSchema.omit({ triage: true })
const NOW = Date.parse('2026-10-01T12:00:00Z')
const NOW_SEC = NOW / 1000
const http = createHttpClient({ userAgent: userAgent('0.1.0-test'), timeoutMs: 5_000 })

const profile: BrandProfile = {
  brand: 'Acme',
  handles: [],
  products: ['Acme Cloud', 'Road Runner'],
  competitors: ['Globex'],
  excluded: [],
}

let server: HnServer
beforeEach(async () => {
  server = await startHnServer()
})
afterEach(async () => {
  await server.close()
})

const source = (extra: Partial<Extract<SourceConfig, { kind: 'hn' }>> = {}) =>
  sourceConfigSchema.parse({
    id: 'hn-1',
    kind: 'hn',
    name: 'Hacker News',
    apiBase: server.origin,
    paused: false,
    createdAt: 0,
    ...extra,
  }) as Extract<SourceConfig, { kind: 'hn' }>

function poll(
  cursor?: SourceCursor,
  opts: { now?: number; query?: string; brand?: BrandProfile | null } = {},
): Promise<PollResult> {
  const connector = createHnConnector(() => (opts.brand === undefined ? profile : opts.brand))
  const config = source(opts.query ? { query: opts.query } : {})
  return connector.poll(config, cursor, { http, now: () => opts.now ?? NOW })
}

const searches = () => server.requests.filter((r) => r.path === '/api/v1/search_by_date')
const ids = (result: PollResult) => result.mentions.map((m) => m.id)
const acmeStory = (id: number, at: number) => story(id, at, { title: `Acme news ${id}` })

describe('hnConnector on Algolia answers', () => {
  it('turns stories and comments into plain-text mentions with HN links, oldest first', async () => {
    server.hits.push(
      story(41699000, NOW_SEC - 7200, { title: 'Acme Cloud raises prices 40%' }),
      comment(
        41700099,
        NOW_SEC - 600,
        '<p>We moved off <i>Acme</i> Cloud last year &amp; never looked back.<p>It&#x27;s ' +
          '<a href="https:&#x2F;&#x2F;example.com&#x2F;x" rel="nofollow">cheaper</a> &lt;3',
      ),
      story(41699500, NOW_SEC - 3600, {
        title: 'Ask HN: Is Acme down?',
        url: null,
        story_text: 'Anyone else seeing <code>502</code> from Acme?',
        author: 'jo',
      }),
    )
    const result = await poll()
    expect(result.mentions).toEqual([
      {
        id: 'hn:41699000',
        sourceId: 'hn-1',
        platform: 'hn',
        url: 'https://news.ycombinator.com/item?id=41699000',
        author: {
          id: 'hn:pg',
          name: 'pg',
          handle: 'pg',
          url: 'https://news.ycombinator.com/user?id=pg',
        },
        title: 'Acme Cloud raises prices 40%',
        text: 'Acme Cloud raises prices 40%',
        createdAt: (NOW_SEC - 7200) * 1000,
        fetchedAt: NOW,
      },
      expect.objectContaining({
        id: 'hn:41699500',
        title: 'Ask HN: Is Acme down?',
        text: 'Anyone else seeing 502 from Acme?',
        author: expect.objectContaining({ id: 'hn:jo' }) as unknown,
      }),
      expect.objectContaining({
        id: 'hn:41700099',
        url: 'https://news.ycombinator.com/item?id=41700099',
        // A comment carries its story's title as context.
        title: 'Ask HN: Which cloud do you trust?',
        text: "We moved off Acme Cloud last year & never looked back.\nIt's cheaper <3",
        createdAt: (NOW_SEC - 600) * 1000,
      }),
    ])
    for (const mention of result.mentions) expect(heardSchema.safeParse(mention).success).toBe(true)
  })

  it('asks for stories and comments since the watermark, one search per brand name', async () => {
    server.hits.push(story(1, NOW_SEC - 100, { title: 'Acme and the Road Runner' }))
    const result = await poll({ watermark: NOW_SEC - 1000, seen: [] })
    const sent = searches().map((r) => Object.fromEntries(r.params))
    expect(sent).toEqual([
      expect.objectContaining({
        query: 'Acme',
        tags: '(story,comment)',
        numericFilters: `created_at_i>=${NOW_SEC - 1060}`,
        hitsPerPage: '100',
        page: '0',
      }),
      // "Acme Cloud" is found by the brand search; "Road Runner" is searched as a phrase.
      expect.objectContaining({ query: '"Road Runner"', page: '0' }),
    ])
    // Found by both searches, heard once.
    expect(ids(result)).toEqual(['hn:1'])
  })

  it('backfills at most a day on the first poll', async () => {
    server.hits.push(acmeStory(1, NOW_SEC - 25 * 3600), acmeStory(2, NOW_SEC - 23 * 3600))
    const result = await poll(undefined, { brand: null, query: 'Acme' })
    expect(ids(result)).toEqual(['hn:2'])
    expect(searches()[0]?.params.get('numericFilters')).toBe(`created_at_i>=${NOW_SEC - 86_400}`)
    expect(result.cursor).toMatchObject({ watermark: NOW_SEC - 23 * 3600 })
  })

  it('pages through the results, then only asks for what is new', async () => {
    for (let i = 0; i < 250; i++) server.hits.push(acmeStory(1000 + i, NOW_SEC - 5000 + i * 10))
    const first = await poll(undefined, { query: 'Acme' })
    expect(first.mentions).toHaveLength(250)
    expect(searches().map((r) => r.params.get('page'))).toEqual(['0', '1', '2'])

    server.hits.push(acmeStory(2000, NOW_SEC + 30), acmeStory(2001, NOW_SEC + 40))
    const second = await poll(first.cursor, { query: 'Acme', now: NOW + 60_000 })
    expect(ids(second)).toEqual(['hn:2000', 'hn:2001'])
    expect(searches()).toHaveLength(4)
  })

  it('stops paging at the watermark even when the server ignores the time filter', async () => {
    for (let i = 0; i < 450; i++) server.hits.push(acmeStory(1000 + i, NOW_SEC - 9000 + i * 10))
    const watermark = NOW_SEC - 9000 + 440 * 10
    // A mirror that drops numericFilters: every page holds older items than the mark.
    server.override = (params) => {
      const unfiltered = new URLSearchParams(params)
      unfiltered.delete('numericFilters')
      return { body: JSON.stringify(search(server.hits, unfiltered)) }
    }
    const result = await poll({ watermark, seen: [] }, { query: 'Acme' })
    expect(searches()).toHaveLength(1)
    // Only what is newer than the mark is new; the rest was delivered before.
    expect(result.mentions.filter((m) => m.createdAt > watermark * 1000)).toHaveLength(9)
  })

  it('caps the pages of one poll', async () => {
    for (let i = 0; i < 900; i++) server.hits.push(acmeStory(1000 + i, NOW_SEC - 9000 + i * 10))
    const result = await poll(undefined, { query: 'Acme' })
    expect(searches()).toHaveLength(5)
    expect(result.mentions).toHaveLength(500)
  })

  it('gives no duplicates across overlapping polls, and still hears late-indexed items', async () => {
    const mark = NOW_SEC - 300
    server.hits.push(acmeStory(1, mark - 30), acmeStory(2, mark))
    const first = await poll(undefined, { query: 'Acme' })
    expect(ids(first)).toEqual(['hn:1', 'hn:2'])
    // Indexed late: created in the same second as the mark, after the first poll had run.
    server.hits.push(acmeStory(3, mark))
    const second = await poll(first.cursor, { query: 'Acme' })
    expect(searches()[1]?.params.get('numericFilters')).toBe(`created_at_i>=${mark - 60}`)
    expect(ids(second)).toEqual(['hn:3'])
    const third = await poll(second.cursor, { query: 'Acme' })
    expect(third.mentions).toEqual([])
  })

  it('clamps a creation time from the future to the fetch time, and never moves the mark past now', async () => {
    server.hits.push(acmeStory(1, NOW_SEC + 3600 * 24 * 365))
    const result = await poll(undefined, { query: 'Acme' })
    expect(result.mentions[0]?.createdAt).toBe(NOW)
    expect(result.cursor).toMatchObject({ watermark: NOW_SEC })
  })

  it('reports a 429 with Retry-After as rate-limited, with the delay', async () => {
    server.override = () => ({
      status: 429,
      headers: { 'retry-after': '120' },
      body: '{"message":"Too many requests"}',
    })
    const error = await failure(poll())
    expect(error.kind).toBe('rate-limited')
    expect(error.details.retryAfterMs).toBe(120_000)
    expect(error.message).toMatch(/Hacker News search asked Earshot to slow down/)
  })

  it('needs a brand profile or its own query', async () => {
    const error = await failure(poll(undefined, { brand: null }))
    expect(error.kind).toBe('config')
    expect(searches()).toHaveLength(0)
  })
})

describe('malformed answers', () => {
  const valid = search([story(1, NOW_SEC - 10, { title: 'Acme' })], new URLSearchParams())
  const cases: [string, string, RegExp][] = [
    ['an HTML page with 200', '<!doctype html><html><body>Oops</body></html>', /web page/],
    ['truncated JSON', JSON.stringify(valid).slice(0, 80), /not complete JSON/],
    ['an empty body', '', /empty/],
    ['no hits', JSON.stringify({ ...valid, hits: undefined }), /list of results/],
    ['hits of the wrong type', JSON.stringify({ ...valid, hits: 'none' }), /hits/],
    [
      'a numeric objectID',
      JSON.stringify({ ...valid, hits: [{ ...valid.hits[0], objectID: 1 }] }),
      /result 1, objectID/,
    ],
    [
      'a created_at_i string',
      JSON.stringify({ ...valid, hits: [{ ...valid.hits[0], created_at_i: 'yesterday' }] }),
      /created_at_i/,
    ],
    [
      'a hit without an author',
      JSON.stringify({ ...valid, hits: [{ ...valid.hits[0], author: undefined }] }),
      /author/,
    ],
    ['an Algolia error', JSON.stringify({ message: 'Invalid parameter' }), /Invalid parameter/],
    ['JSON null', 'null', /list of results/],
  ]

  it.each(cases)('refuses %s with a parse error in plain words', async (_, body, words) => {
    server.override = () => ({ body })
    const error = await failure(poll())
    expect(error.kind).toBe('parse')
    expect(error.message).toMatch(words)
  })

  it('passes a 404 from a wrong API address on in words', async () => {
    const connector = createHnConnector(() => profile)
    const config = source({ apiBase: `${server.origin}/wrong` })
    const error = await failure(connector.poll(config, undefined, { http, now: () => NOW }))
    expect(error.kind).toBe('http')
    expect(error.message).toBe('Hacker News search answered 404 Not Found')
  })
})

describe('fuzzing', () => {
  const sample: HnHit[] = [
    story(41699000, NOW_SEC - 7200, { title: 'Acme Cloud raises prices 40%' }),
    comment(41700099, NOW_SEC - 600, '<p>Off <i>Acme</i> &amp; gone &#x27;now&#x27;</p>'),
    story(41699500, NOW_SEC - 3600, { story_text: 'Is <b>Acme</b> down?', url: null }),
  ]
  const body = JSON.stringify(search(sample, new URLSearchParams()))
  const values: unknown[] = [null, 0, -1, 1e308, '', 'x'.repeat(30_000), [], {}, true, '\uD800']

  function mutateValue(random: () => number): string {
    const json = JSON.parse(body) as { hits: Record<string, unknown>[] } & Record<string, unknown>
    const hit = json.hits[Math.floor(random() * json.hits.length)] ?? {}
    const keys = Object.keys(hit)
    const key = keys[Math.floor(random() * keys.length)] ?? 'objectID'
    const value = values[Math.floor(random() * values.length)]
    if (random() < 0.2) delete hit[key]
    else hit[key] = value
    return JSON.stringify(json)
  }

  it('mutated answers give schema-valid mentions or a parse error, 300 times', () => {
    const random = seeded(20261001)
    let parsed = 0
    for (let round = 0; round < 300; round++) {
      const text = round % 2 === 0 ? mutateText(body, random) : mutateValue(random)
      try {
        const page = parseHnPage(text)
        const mentions: HeardMention[] = page.hits.map((hit) => hitToMention(hit, 'hn-1', NOW))
        for (const mention of mentions) {
          expect(heardSchema.safeParse(mention).success, `round ${round}`).toBe(true)
        }
        parsed++
      } catch (cause) {
        expect(cause, `round ${round}`).toBeInstanceOf(SourceError)
        expect((cause as SourceError).kind).toBe('parse')
      }
    }
    // The fuzz must exercise both paths.
    expect(parsed).toBeGreaterThan(30)
    expect(parsed).toBeLessThan(300)
  })
})

describe('hnPlainText', () => {
  it('strips tags, then decodes entities once', () => {
    expect(hnPlainText('a&amp;lt;b &#62; c&#x2F;d<p>x&nbsp;y &bogus; &#0;')).toBe(
      'a&lt;b > c/d\nx y &bogus;',
    )
  })
})

describe('hnQueries', () => {
  it('searches the brand and each product the brand search would miss', () => {
    expect(hnQueries(profile)).toEqual(['Acme', '"Road Runner"'])
    expect(hnQueries(profile, '  "acme cloud" -jobs ')).toEqual(['"acme cloud" -jobs'])
    expect(hnQueries(null)).toEqual([])
  })
})

describe('pollSourceOnce', () => {
  it('polls a Hacker News source once with the profile, as the CLI does', async () => {
    server.hits.push(acmeStory(7, NOW_SEC - 60))
    const result = await pollSourceOnce(source(), { http, now: () => NOW, profile })
    expect(ids(result)).toEqual(['hn:7'])
  })
})
