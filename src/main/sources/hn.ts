/* Hacker News through Algolia's search API: stories and comments naming the brand, newest first,
   with a created-time watermark. HN has no write API, so a reply is a link out to the item. */
import { z } from 'zod'
import type { BrandProfile, HeardMention, SourceConfig } from '../../shared/domain'
import { hnQueries } from '../../shared/hn-query'
import type { Connector, PollResult, SourceCursor } from './connector'
import { SourceError } from './connector'
import { shortDigest } from './digest'
import type { HttpClient } from './http'
import type { ParsePool } from './parse-pool'
import { OFF_THREAD_JSON_BYTES, parseOffThread } from './parse-pool'
import { plainText, truncate } from './rss'

type HnConfig = Extract<SourceConfig, { kind: 'hn' }>

/** Where HN shows an item and a user; fixed, whatever API mirror answered the search. */
export const HN_SITE = 'https://news.ycombinator.com'
/** Indexing lags and many items share a second, so each search reaches this far behind the mark. */
export const OVERLAP_SEC = 60
/** A new source looks back one day, not over HN's whole history. */
export const BACKFILL_SEC = 24 * 3600
/** Pages per search per poll: 500 hits, half of Algolia's 1,000-hit cap for one query. */
export const MAX_PAGES = 5
export const HITS_PER_PAGE = 100
export const SEEN_LIMIT = 1000

const TITLE_MAX = 1000
const TEXT_MAX = 20_000
const SUBJECT = 'Hacker News search'

export type HnCursor = {
  /** The newest `created_at_i` delivered (unix seconds), or null before anything was heard. */
  watermark: number | null
  /** Short hashes of the ids delivered inside the overlap window, oldest first. */
  seen: string[]
}

const cursorSchema = z.object({
  watermark: z.number().int().nonnegative().nullable().catch(null),
  seen: z.array(z.string().max(64)).max(SEEN_LIMIT).catch([]),
})

/** Reads a stored cursor; a damaged one is forgotten, which only costs one day's re-fetch. */
export function readHnCursor(cursor: SourceCursor | undefined): HnCursor {
  const parsed = cursorSchema.safeParse(cursor ?? {})
  return parsed.success ? parsed.data : { watermark: null, seen: [] }
}

const seenKey = (id: string) => shortDigest(id)

const optionalText = z.string().nullable().optional()
const hitSchema = z.object({
  objectID: z.string().trim().min(1).max(64),
  created_at_i: z.number().int().nonnegative(),
  author: z.string().trim().min(1).max(300),
  title: optionalText,
  story_text: optionalText,
  comment_text: optionalText,
  story_title: optionalText,
  _tags: z.array(z.string()).optional(),
})
type Hit = z.infer<typeof hitSchema>

const pageSchema = z.object({
  hits: z.array(z.unknown()),
  page: z.number().int().nonnegative(),
  nbPages: z.number().int().nonnegative(),
})

export type HnPage = { hits: Hit[]; page: number; nbPages: number }

/** Reads one `search_by_date` answer. Throws only `SourceError('parse')`, in plain words. */
export function parseHnPage(body: string): HnPage {
  const text = body.replace(/^\uFEFF/, '').trimStart()
  if (text === '') throw new SourceError('parse', `${SUBJECT} sent an empty answer`)
  if (text.startsWith('<')) {
    throw new SourceError(
      'parse',
      'This address returned a web page, not Hacker News search results',
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new SourceError('parse', `${SUBJECT} sent a broken answer (not complete JSON)`)
  }
  const envelope = pageSchema.safeParse(json)
  if (!envelope.success) {
    const message = errorMessage(json)
    throw new SourceError(
      'parse',
      message
        ? `${SUBJECT} answered with an error: ${message}`
        : `${SUBJECT} sent an answer without its list of results (${where(envelope.error)})`,
    )
  }
  const hits = envelope.data.hits.map((raw, index) => {
    const hit = hitSchema.safeParse(raw)
    if (!hit.success) {
      throw new SourceError(
        'parse',
        `${SUBJECT} sent a result Earshot could not read (result ${index + 1}, ${where(hit.error)})`,
      )
    }
    return hit.data
  })
  return { hits, page: envelope.data.page, nbPages: envelope.data.nbPages }
}

function where(error: z.ZodError): string {
  const issue = error.issues[0]
  const path = issue?.path.join('.') || 'answer'
  return `${path}: ${issue?.message ?? 'not as expected'}`
}

function errorMessage(json: unknown): string | null {
  if (typeof json !== 'object' || json === null || !('message' in json)) return null
  return typeof json.message === 'string' ? truncate(plainText(json.message), 200) : null
}

const named: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
}

/** HN's HTML arrives escaped once (`I&#x27;m`); tags go first, so a decoded `<` stays text. */
export function hnPlainText(html: string): string {
  // HN separates paragraphs with a bare `<p>` and never closes them.
  return plainText(html.replace(/<p\b[^<>]*>/gi, '\n'))
    .replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,6});/gi, (whole, entity: string) => {
      if (entity[0] !== '#') return named[entity.toLowerCase()] ?? whole
      const code =
        entity[1] === 'x' || entity[1] === 'X'
          ? parseInt(entity.slice(2), 16)
          : Number(entity.slice(1))
      const printable =
        code >= 0x20 &&
        code <= 0x10ffff &&
        (code < 0x7f || code > 0x9f) &&
        (code < 0xd800 || code > 0xdfff)
      return printable || code === 0x0a ? String.fromCodePoint(code) : ''
    })
    .trim()
}

/** Turns one hit into a mention; the story title rides along with a comment as its context. */
export function hitToMention(hit: Hit, sourceId: string, fetchedAt: number): HeardMention {
  const comment = hit._tags?.includes('comment') ?? typeof hit.comment_text === 'string'
  const title = hnPlainText((comment ? hit.story_title : hit.title) ?? '')
  const body = hnPlainText((comment ? hit.comment_text : hit.story_text) ?? '')
  const claimed = hit.created_at_i * 1000
  const author = hit.author
  return {
    id: `hn:${hit.objectID}`,
    sourceId,
    platform: 'hn',
    url: `${HN_SITE}/item?id=${encodeURIComponent(hit.objectID)}`,
    author: {
      id: `hn:${author}`,
      name: author,
      handle: author,
      url: `${HN_SITE}/user?id=${encodeURIComponent(author)}`,
    },
    ...(title ? { title: truncate(title, TITLE_MAX) } : {}),
    // A link post says everything in its title; triage still needs text to read.
    text: truncate(body || (comment ? '' : title), TEXT_MAX),
    createdAt: claimed > 0 && claimed <= fetchedAt ? claimed : fetchedAt,
    fetchedAt,
  }
}

export function searchUrl(apiBase: string, query: string, sinceSec: number, page: number): string {
  const params = new URLSearchParams({
    query,
    tags: '(story,comment)',
    numericFilters: `created_at_i>=${sinceSec}`,
    hitsPerPage: String(HITS_PER_PAGE),
    page: String(page),
    // A brand is a name: "Acme" must not find "acne" through Algolia's typo tolerance.
    typoTolerance: 'false',
  })
  return `${apiBase.replace(/\/+$/, '')}/api/v1/search_by_date?${params.toString()}`
}

async function search(
  http: HttpClient,
  url: string,
  signal: AbortSignal | undefined,
  parser: ParsePool | undefined,
): Promise<HnPage> {
  const response = await http.get(url, {
    headers: { accept: 'application/json' },
    subject: SUBJECT,
    ...(signal ? { signal } : {}),
  })
  return response.body.length < OFF_THREAD_JSON_BYTES
    ? parseHnPage(response.body)
    : parseOffThread(parser, 'hn-page', response.body)
}

/** The HN connector; without its own query it searches what the brand profile names. */
export function createHnConnector(getProfile: () => BrandProfile | null): Connector<HnConfig> {
  return {
    kind: 'hn',
    async poll(config, cursor, ctx): Promise<PollResult> {
      const queries = hnQueries(getProfile(), config.query)
      if (queries.length === 0) {
        throw new SourceError(
          'config',
          'Hacker News needs a brand profile or its own search text to know what to look for',
        )
      }
      const previous = readHnCursor(cursor)
      const fetchedAt = ctx.now()
      const nowSec = Math.floor(fetchedAt / 1000)
      const since =
        previous.watermark === null
          ? Math.max(0, nowSec - BACKFILL_SEC)
          : Math.max(0, previous.watermark - OVERLAP_SEC)
      const hits = new Map<string, Hit>()
      for (const query of queries) {
        for (let page = 0; page < MAX_PAGES; page++) {
          const url = searchUrl(config.apiBase, query, since, page)
          const answer = await search(ctx.http, url, ctx.signal, ctx.parser)
          for (const hit of answer.hits) hits.set(hit.objectID, hit)
          const oldest = Math.min(...answer.hits.map((hit) => hit.created_at_i))
          // Newest first: once a page reaches back past the mark, later pages hold only overlap.
          const reachedMark = previous.watermark !== null && oldest <= previous.watermark
          if (answer.hits.length === 0 || page >= answer.nbPages - 1 || reachedMark) break
        }
      }
      const seen = new Set(previous.seen)
      const delivered: string[] = []
      const mentions: HeardMention[] = []
      let watermark = previous.watermark
      for (const hit of hits.values()) {
        // A claim from the future only lowers to now: a lower mark costs overlap, a higher one loses.
        const at = Math.min(hit.created_at_i, nowSec)
        watermark = watermark === null ? at : Math.max(watermark, at)
        const mention = hitToMention(hit, config.id, fetchedAt)
        const key = seenKey(mention.id)
        delivered.push(key)
        if (!seen.has(key)) mentions.push(mention)
        seen.add(key)
      }
      mentions.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      const fresh = new Set(delivered)
      const next: HnCursor = {
        watermark,
        seen: [...previous.seen.filter((key) => !fresh.has(key)), ...fresh].slice(-SEEN_LIMIT),
      }
      return { mentions, cursor: next, notModified: false }
    },
  }
}
