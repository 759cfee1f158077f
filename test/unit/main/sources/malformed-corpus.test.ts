import { describe, expect, it } from 'vitest'
import type { HeardMention } from '../../../../src/shared/domain'
import { mentionSchema } from '../../../../src/shared/domain'
import { parseSearchPage, postToMention } from '../../../../src/main/sources/bluesky-parse'
import { SourceError } from '../../../../src/main/sources/connector'
import { hitToMention, parseHnPage } from '../../../../src/main/sources/hn'
import { parseTimeline, statusToMention } from '../../../../src/main/sources/mastodon'
import { parseListing, thingToMention } from '../../../../src/main/sources/reddit-parse'
import { post as blueskyPost, profile } from '../../../fixtures/bluesky-server'
import { story } from '../../../fixtures/hn-server'
import { status } from '../../../fixtures/mastodon-server'
import { post as redditPost } from '../../../fixtures/reddit-server'

/* The malformed-input corpus of reliability.md (Parsing), applied to every JSON platform the same
   way (RSS has its own files in test/fixtures/feeds/malformed): items or a typed parse error,
   never an uncaught exception, and every mention that comes out passes its schema. */

const heardSchema = mentionSchema.omit({ triage: true })
const FETCHED_AT = Date.parse('2026-11-01T12:00:00Z')
const sec = Math.floor(FETCHED_AT / 1000) - 600

type Platform = {
  name: string
  /** A valid answer with one item whose text is `text`. */
  answer: (text: string) => unknown
  /** Parses a body into mentions, as the connector does. */
  read: (body: string) => HeardMention[]
  /** Reddit reads a web page as its block page: an `http` failure, explained, not a parse one. */
  webPageKind?: 'http'
}

const platforms: Platform[] = [
  {
    name: 'Hacker News',
    answer: (text) => ({ hits: [story(41699000, sec, { title: text })], page: 0, nbPages: 1 }),
    read: (body) => parseHnPage(body).hits.map((hit) => hitToMention(hit, 'hn-1', FETCHED_AT)),
  },
  {
    name: 'Mastodon',
    answer: (text) => [
      status('113200000000000001', new Date(FETCHED_AT - 60_000).toISOString(), text, ['acme']),
    ],
    read: (body) =>
      parseTimeline(body, 'Mastodon').map((s) =>
        statusToMention(s, 'm-1', 'mastodon.example', FETCHED_AT),
      ),
  },
  {
    name: 'Bluesky',
    answer: (text) => ({
      posts: [
        blueskyPost(
          profile('carol.bsky.social', 'Carol'),
          '3kabc',
          new Date(FETCHED_AT - 60_000).toISOString(),
          text,
        ),
      ],
    }),
    read: (body) =>
      parseSearchPage(body, 'Bluesky search').posts.map((p) => postToMention(p, 'b-1', FETCHED_AT)),
  },
  {
    name: 'Reddit',
    webPageKind: 'http',
    answer: (text) => ({
      kind: 'Listing',
      data: {
        after: null,
        dist: 1,
        children: [{ kind: 't3', data: redditPost('1abcd', sec, { title: text }) }],
      },
    }),
    read: (body) =>
      parseListing(body, 'Reddit search').things.map((t) => thingToMention(t, 'r-1', FETCHED_AT)),
  },
]

/** The corpus for one platform, from its valid answer. */
function corpus(p: Platform): [string, string][] {
  const valid = JSON.stringify(p.answer('Acme refund still missing'))
  const withExtra = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(withExtra)
      : value && typeof value === 'object'
        ? {
            ...Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withExtra(v)])),
            zz_new_field: { nested: [1, 2] },
          }
        : value
  const dropFirstKey = (value: unknown): unknown => {
    const text = JSON.stringify(value)
    return JSON.parse(
      text.replace(/"(id|objectID|uri|name|created_at|created_at_i)":("[^"]*"|\d+),?/, ''),
    ) as unknown
  }
  return [
    ['empty', ''],
    ['whitespace only', ' \n\t '],
    ['a BOM before valid JSON', `\uFEFF${valid}`],
    ['truncated', valid.slice(0, Math.floor(valid.length / 2))],
    [
      'an HTML error page with 200',
      '<!doctype html><html><body><h1>502 Bad Gateway</h1></body></html>',
    ],
    ['null', 'null'],
    ['a bare string', '"ok"'],
    ['an empty object', '{}'],
    ['an empty list', '[]'],
    ['extra fields everywhere', JSON.stringify(withExtra(JSON.parse(valid)))],
    ['a missing required field', JSON.stringify(dropFirstKey(JSON.parse(valid)))],
    ['bad characters', JSON.stringify(p.answer('Acme \u0000\u0007 \ud800 broken \uffff text'))],
    [
      'HTML entities in the text',
      JSON.stringify(
        p.answer('Acme &amp;amp; &lt;script&gt;alert(1)&lt;/script&gt; &#0; &#x110000;'),
      ),
    ],
    ['Latin-1 bytes decoded as UTF-8', JSON.stringify(p.answer('Acme caf\ufffd cr\ufffdme'))],
    ['deep nesting', `${'['.repeat(50_000)}${']'.repeat(50_000)}`],
    ['a huge number', valid.replace(/\d{6,}/, '1e400')],
    ['a very long text', JSON.stringify(p.answer(`Acme ${'long '.repeat(40_000)}`))],
  ]
}

describe.each(platforms)('the malformed-input corpus for $name', (platform) => {
  it.each(corpus(platform))('%s gives valid mentions or a parse error', (_, body) => {
    let mentions: HeardMention[]
    try {
      mentions = platform.read(body)
    } catch (cause) {
      expect(cause).toBeInstanceOf(SourceError)
      const webPage = body.startsWith('<') && platform.webPageKind
      expect((cause as SourceError).kind).toBe(webPage || 'parse')
      expect((cause as SourceError).message.length).toBeGreaterThan(10)
      return
    }
    for (const mention of mentions) {
      const checked = heardSchema.safeParse(mention)
      expect(checked.success, JSON.stringify(checked.error?.issues[0])).toBe(true)
    }
  })

  it('reads the valid answer, with a BOM and with extra fields, into one mention', () => {
    const [, , bom] = corpus(platform)
    const extra = corpus(platform)[9]
    expect(platform.read(JSON.stringify(platform.answer('Acme refund')))).toHaveLength(1)
    expect(platform.read(bom?.[1] ?? '')).toHaveLength(1)
    expect(platform.read(extra?.[1] ?? '')).toHaveLength(1)
  })
})
