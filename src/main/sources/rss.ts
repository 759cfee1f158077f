/* RSS 2.0 / Atom connector: blogs, forums and Google Alerts. Turns a feed into plain-text mentions
   with ids that survive re-polls, and never lets a broken feed escape as anything but a SourceError. */
import { parseFeed } from '@rowanmanning/feed-parser'
import { z } from 'zod'
import type { HeardMention, SourceConfig } from '../../shared/domain'
import { MAX_INTERVAL_SEC } from '../../shared/domain'
import type { Connector, PollResult, SourceCursor } from './connector'
import { SourceError } from './connector'
import { shortDigest } from './digest'
import type { HttpClient, HttpResponse } from './http'
import { decode } from './http'
import { parseOffThread, type ParsePool } from './parse-pool'

type RssConfig = Extract<SourceConfig, { kind: 'rss' }>
type Feed = ReturnType<typeof parseFeed>
type FeedItem = Feed['items'][number]

/** How many item keys a cursor remembers; feeds hold far fewer, so overlap is always covered. */
export const SEEN_LIMIT = 1000
const TITLE_MAX = 1000
const TEXT_MAX = 20_000
const AUTHOR_NAME_MAX = 300
const AUTHOR_ID_MAX = 600
const ID_MAX = 2600
const URL_MAX = 4096
const ETAG_MAX = 2000
const LAST_MODIFIED_MAX = 200

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8'

export type RssCursor = {
  etag: string | null
  lastModified: string | null
  /** Short hashes of the ids already delivered, oldest first. */
  seen: string[]
  /** The feed's own minimum pause, remembered so a 304 still honours it. */
  minDelayMs?: number
}

const cursorSchema = z.object({
  etag: z.string().max(ETAG_MAX).nullable().catch(null),
  lastModified: z.string().max(LAST_MODIFIED_MAX).nullable().catch(null),
  seen: z.array(z.string().max(64)).max(SEEN_LIMIT).catch([]),
  minDelayMs: z.number().int().positive().optional().catch(undefined),
})

/**
 * Cursors this process built and handed to the journal: they go back and forth unchanged between
 * polls, so they need no checking. Only a cursor read from disk (after a restart) is checked.
 */
const ownCursors = new WeakSet<object>()

/** Reads a stored cursor; anything damaged is forgotten, which only costs a full re-fetch. */
export function readRssCursor(cursor: SourceCursor | undefined): RssCursor {
  // A source's first poll has nothing to read.
  if (cursor === undefined) return { etag: null, lastModified: null, seen: [] }
  if (ownCursors.has(cursor)) return cursor as RssCursor
  const parsed = cursorSchema.safeParse(cursor)
  if (!parsed.success) return { etag: null, lastModified: null, seen: [] }
  const { minDelayMs, ...rest } = parsed.data
  return minDelayMs === undefined ? rest : { ...rest, minDelayMs }
}

// The cursor rides along with every journal write, so it keeps 16-character digests, not full ids.
export function seenKey(id: string): string {
  return shortDigest(id)
}

const googleAlertEntry = /#tag:google\.com,\d{4}:googlealerts\//

/** Google Alerts can list one article under two entry ids, so its article URL counts as identity too. */
function identityKeys(mention: HeardMention): string[] {
  const keys = [seenKey(mention.id)]
  if (mention.url && googleAlertEntry.test(mention.id)) keys.push(seenKey(`url:${mention.url}`))
  return keys
}

export type ParsedFeed = {
  title: string | null
  /** Every item of the feed as a mention, oldest first. */
  mentions: HeardMention[]
  /** The feed's `<ttl>`, in milliseconds, when it gave one. */
  minDelayMs: number | null
}

/** Parses a feed body into mentions. Throws only `SourceError('parse')`. */
export function parseFeedText(
  body: string,
  opts: { feedUrl: string; sourceId: string; fetchedAt: number },
): ParsedFeed {
  refuseNonFeeds(body)
  try {
    const feed = parseFeed(body)
    memoizeFeedFallbacks(feed)
    return {
      title: plainText(feed.title ?? '') || null,
      mentions: toMentions(feed, opts),
      minDelayMs: feedTtl(feed),
    }
  } catch (cause) {
    if (cause instanceof SourceError) throw cause
    if (/<html[\s>]/i.test(body.slice(0, 4096))) throw webPage()
    throw new SourceError('parse', 'This address did not return a readable RSS or Atom feed')
  }
}

/** A feed's body as it arrived, with the Content-Type that names its charset. */
export type FeedBytes = { bytes: Uint8Array; contentType: string | null }

/**
 * Decodes (BOM, declared charset, XML declaration) and parses a feed: the parse worker's entry,
 * so the bytes cross to it without a copy and the main thread never decodes them.
 */
export function parseFeedBytes(
  raw: FeedBytes,
  opts: { feedUrl: string; sourceId: string; fetchedAt: number },
): ParsedFeed {
  return parseFeedText(decode(raw.bytes, raw.contentType), opts)
}

/**
 * The feed parser works these feed-wide values out afresh on every read, by wrapping and naming
 * every child of the channel, items included; and every item without an author or with a relative
 * link reads them. Unpinned, a feed's cost grows with the square of its items (2,000 author-less
 * items took 13 s). The parsed feed never changes, so each is read once and kept on the instance.
 */
function memoizeFeedFallbacks(feed: Feed): void {
  for (const key of ['authors', 'url'] as const) {
    Object.defineProperty(feed, key, { value: feed[key], configurable: true })
  }
}

const webPage = () => new SourceError('parse', 'This address returned a web page, not a feed')

function refuseNonFeeds(body: string): void {
  const text = body.replace(/^\uFEFF/, '').trimStart()
  if (text === '') throw new SourceError('parse', 'This address returned an empty page, not a feed')
  if (text.startsWith('{') || text.startsWith('[')) {
    throw new SourceError('parse', 'This address returned JSON, not an RSS or Atom feed')
  }
  const rootAt = text.search(/<[A-Za-z]/)
  const prolog = rootAt === -1 ? text : text.slice(0, rootAt)
  // Feeds never need their own entities; refusing them rules out expansion bombs outright.
  if (/<!ENTITY/i.test(prolog)) {
    throw new SourceError('parse', 'This feed declares its own XML entities, which Earshot refuses')
  }
  if (/^<html[\s>]/i.test(text.slice(rootAt))) throw webPage()
}

function feedTtl(feed: Feed): number | null {
  const ttl = feed.meta.type === 'rss' ? feed.element.findElementWithName('ttl') : null
  const minutes = ttl ? Number(ttl.textContent.trim()) : NaN
  if (!Number.isInteger(minutes) || minutes <= 0) return null
  return Math.min(minutes * 60_000, MAX_INTERVAL_SEC * 1000)
}

type Draft = {
  base: string
  index: number
  order: number
  /** Title, text and link: hashed only when another item shares this one's GUID. */
  content: string
  mention: HeardMention
}

function toMentions(
  feed: Feed,
  opts: { feedUrl: string; sourceId: string; fetchedAt: number },
): HeardMention[] {
  const feedTitle = plainText(feed.title ?? '')
  const drafts = feed.items.flatMap((item, index): Draft[] => {
    const draft = toDraft(item, index, feedTitle, opts)
    return draft ? [draft] : []
  })
  const mentions = assignIds(drafts, opts.feedUrl)
  return mentions
    .sort((a, b) => a.mention.createdAt - b.mention.createdAt || b.index - a.index)
    .map((entry) => entry.mention)
}

function toDraft(
  item: FeedItem,
  index: number,
  feedTitle: string,
  opts: { feedUrl: string; sourceId: string; fetchedAt: number },
): Draft | null {
  const rawLink = item.url ?? ''
  const link = unwrapGoogleLink(rawLink)
  const url = isWebAddress(link) && link.length <= URL_MAX ? link : null
  const title = truncate(plainText(item.title ?? ''), TITLE_MAX)
  const snippet = truncate(plainText(item.description || item.content || ''), TEXT_MAX)
  if (!title && !snippet && !url) return null
  const date = item.published ?? item.updated
  const claimed = date ? date.getTime() : NaN
  const guid = item.id?.trim() ?? ''
  const base = guid || url || `h:${shortDigest(`${title}\n${date ? date.toISOString() : ''}`)}`
  const mention: HeardMention = {
    id: '', // given once every item is known; see assignIds
    sourceId: opts.sourceId,
    platform: 'rss',
    url,
    author: toAuthor(item, feedTitle, url, link !== rawLink, opts.feedUrl),
    // Triage reads the text; an item with only a headline still has something to say.
    text: snippet || title,
    createdAt: clampDate(claimed, opts.fetchedAt),
    fetchedAt: opts.fetchedAt,
    ...(title ? { title } : {}),
  }
  return {
    base,
    index,
    order: Number.isFinite(claimed) ? claimed : 0,
    content: `${title}\n${snippet}\n${url ?? ''}`,
    mention,
  }
}

/**
 * Gives every draft its id. A GUID repeated inside one feed keeps its plain id for the oldest
 * occurrence and adds a content hash for the others, so each id depends only on what the feed says.
 */
function assignIds(drafts: Draft[], feedUrl: string): { mention: HeardMention; index: number }[] {
  const groups = new Map<string, Draft[]>()
  for (const draft of drafts) {
    const group = groups.get(draft.base)
    if (group) group.push(draft)
    else groups.set(draft.base, [draft])
  }
  const out: { mention: HeardMention; index: number }[] = []
  for (const [base, group] of groups) {
    const [only] = group
    if (group.length === 1 && only) {
      // Almost every item: its GUID is its own, so no content hash is needed to tell it apart.
      out.push({ mention: { ...only.mention, id: mentionId(feedUrl, base) }, index: only.index })
      continue
    }
    const hashes = new Map(group.map((draft) => [draft, shortDigest(draft.content)]))
    const contentHash = (draft: Draft) => hashes.get(draft) ?? ''
    group.sort((a, b) => a.order - b.order || contentHash(a).localeCompare(contentHash(b)))
    const used = new Set<string>()
    group.forEach((draft, position) => {
      const key = position === 0 ? base : `${base}~${contentHash(draft)}`
      if (used.has(key)) return // the same item twice: one mention
      used.add(key)
      out.push({ mention: { ...draft.mention, id: mentionId(feedUrl, key) }, index: draft.index })
    })
  }
  return out
}

function mentionId(feedUrl: string, key: string): string {
  const id = `rss:${feedUrl}#${key}`
  return id.length <= ID_MAX ? id : `rss:${feedUrl}#h:${shortDigest(key)}`
}

function toAuthor(
  item: FeedItem,
  feedTitle: string,
  url: string | null,
  viaGoogle: boolean,
  feedUrl: string,
): HeardMention['author'] {
  const person = item.authors.find((a) => a.name?.trim() || a.email?.trim())
  const own = plainText(person?.name || person?.email || '')
  // Google Alerts names nobody; the site that published the article is the useful answer.
  const name =
    own || (viaGoogle && url ? hostOf(url) : '') || feedTitle || hostOf(url) || hostOf(feedUrl)
  const shown = truncate(name || 'Unknown author', AUTHOR_NAME_MAX)
  const profile = person?.url ?? null
  const linkable = isWebAddress(profile) && profile.length <= 2048
  return {
    id: truncate(`rss:${feedUrl}#${shown}`, AUTHOR_ID_MAX),
    name: shown,
    ...(linkable ? { url: profile } : {}),
  }
}

/** The real article behind a Google redirect (`google.com/url?url=…`), or the link unchanged. */
export function unwrapGoogleLink(href: string): string {
  let parsed: URL
  try {
    parsed = new URL(href)
  } catch {
    return href
  }
  const google = /^(www\.)?google\.[a-z.]{2,6}$/i.test(parsed.hostname)
  if (!google || parsed.pathname !== '/url') return href
  const target = parsed.searchParams.get('url') ?? parsed.searchParams.get('q')
  return target && isWebAddress(target) ? target : href
}

function isWebAddress(value: string | null | undefined): value is string {
  if (!value) return false
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== ''
  } catch {
    return false
  }
}

function hostOf(url: string | null): string {
  if (!url) return ''
  try {
    return new URL(url).hostname.replace(/^www\./, '')
  } catch {
    return ''
  }
}

/** A claimed date from the future or before 1970 (or none) becomes the fetch time. */
function clampDate(claimed: number, fetchedAt: number): number {
  if (!Number.isFinite(claimed) || claimed <= 0 || claimed > fetchedAt) return fetchedAt
  return Math.floor(claimed)
}

const blockBreak = /<(?:br|\/p|\/div|\/li|\/h[1-6]|\/blockquote|\/tr|hr)\b[^<>]*>/gi
// eslint-disable-next-line no-control-regex -- removing control characters is the point
const controls = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g

/**
 * Markup to plain text. The feed parser has already decoded entities once, which is the one
 * decode the formats call for (Google Alerts double-escapes, so its `&#39;` is now an apostrophe).
 */
export function plainText(html: string): string {
  return stripHidden(stripComments(html))
    .replace(blockBreak, '\n')
    .replace(/<\/?[A-Za-z][^<>]*>/g, '')
    .replace(controls, '')
    .replace(/[\u00A0\t\f\v ]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/**
 * Removes `<!-- … -->` comments, as `/<!--[\s\S]*?-->/g` would, in linear time: that regex scans
 * to the end of the text from every unclosed `<!--`, so a hostile 1 MB body of them costs hours.
 * Once one opening finds no `-->` after it, no later opening can, so the scan stops there.
 */
export function stripComments(text: string): string {
  let out = ''
  let at = 0
  for (;;) {
    const open = text.indexOf('<!--', at)
    if (open === -1) break
    const close = text.indexOf('-->', open + 4)
    if (close === -1) break
    out += text.slice(at, open)
    at = close + 3
  }
  return at === 0 ? text : out + text.slice(at)
}

const hiddenOpening = /<(script|style)\b[^<>]*>/gi
const hiddenClosing = { script: /<\/script\s*>/gi, style: /<\/style\s*>/gi }

/**
 * Removes `<script>…</script>` and `<style>…</style>` blocks with what they hold, matching
 * `/<(script|style)\b[^<>]*>[\s\S]*?<\/\1\s*>/gi`, in linear time. That regex scans to the end from
 * every unclosed opening (quadratic on hostile input); here an element that found no closing tag
 * once is never looked for again, since no later opening of it can find one either. The leftover
 * opening tags go with the rest of the markup.
 */
export function stripHidden(text: string): string {
  const opening = new RegExp(hiddenOpening.source, 'gi')
  const unclosed = new Set<string>()
  let out = ''
  let kept = 0
  let match: RegExpExecArray | null
  while (unclosed.size < 2 && (match = opening.exec(text)) !== null) {
    const name = (match[1] ?? '').toLowerCase() as keyof typeof hiddenClosing
    if (unclosed.has(name)) continue
    const closing = new RegExp(hiddenClosing[name].source, 'gi')
    closing.lastIndex = opening.lastIndex
    const end = closing.exec(text)
    if (!end) {
      unclosed.add(name)
      continue
    }
    out += text.slice(kept, match.index)
    kept = closing.lastIndex
    opening.lastIndex = kept
  }
  return kept === 0 ? text : out + text.slice(kept)
}

export function truncate(value: string, max: number): string {
  if (value.length <= max) return value
  let cut = value.slice(0, max - 1)
  // Never leave half of a surrogate pair at the end.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  return `${cut}…`
}

function maxAgeMs(response: HttpResponse): number | null {
  const match = /(?:^|,)\s*max-age\s*=\s*(\d+)/i.exec(response.headers['cache-control'] ?? '')
  const seconds = match ? Number(match[1]) : 0
  return seconds > 0 ? Math.min(seconds * 1000, MAX_INTERVAL_SEC * 1000) : null
}

function fetchFeed(http: HttpClient, url: string, cursor: RssCursor, signal?: AbortSignal) {
  return http.get(url, {
    headers: { accept: FEED_ACCEPT },
    etag: cursor.etag,
    lastModified: cursor.lastModified,
    subject: 'The feed',
    keepBytes: true,
    ...(signal ? { signal } : {}),
  })
}

/** Parses an answer off the thread: its bytes when the client kept them, else its text. */
function parseAnswer(
  parser: ParsePool | undefined,
  response: HttpResponse,
  opts: { feedUrl: string; sourceId: string; fetchedAt: number },
): Promise<ParsedFeed> {
  if (response.bytes === undefined) return parseOffThread(parser, 'feed', response.body, opts)
  const raw = { bytes: response.bytes, contentType: response.headers['content-type'] ?? null }
  return parseOffThread(parser, 'feed-bytes', raw, opts)
}

const within = (value: string | undefined, max: number): string | null =>
  value !== undefined && value.length <= max ? value : null

/** Keeps the ids in this feed plus the most recent earlier ones, up to `SEEN_LIMIT`. */
function nextSeen(previous: string[], current: string[]): string[] {
  const now = new Set(current)
  return [...previous.filter((key) => !now.has(key)), ...now].slice(-SEEN_LIMIT)
}

export const rssConnector: Connector<RssConfig> = {
  kind: 'rss',
  async poll(config, cursor, ctx): Promise<PollResult> {
    const previous = readRssCursor(cursor)
    const response = await fetchFeed(ctx.http, config.url, previous, ctx.signal)
    const moved = response.movedTo ? { movedTo: response.movedTo } : {}
    if (response.notModified) {
      const delay = previous.minDelayMs ? { minDelayMs: previous.minDelayMs } : {}
      return { mentions: [], cursor: cursor ?? previous, notModified: true, ...delay, ...moved }
    }
    const fetchedAt = ctx.now()
    const parsed = await parseAnswer(ctx.parser, response, {
      // Ids keep the address the source was added with, so a moved feed repeats nothing.
      feedUrl: config.firstUrl ?? config.url,
      sourceId: config.id,
      fetchedAt,
    })
    const seen = new Set(previous.seen)
    const keys: string[] = []
    const mentions = parsed.mentions.filter((mention) => {
      const own = identityKeys(mention)
      const fresh = own.every((key) => !seen.has(key))
      for (const key of own) seen.add(key)
      keys.push(...own)
      return fresh
    })
    const minDelayMs = Math.max(parsed.minDelayMs ?? 0, maxAgeMs(response) ?? 0)
    const next: RssCursor = {
      // Held to the limits a stored cursor is read with, so a kept one says the same.
      etag: within(response.headers['etag'], ETAG_MAX),
      lastModified: within(response.headers['last-modified'], LAST_MODIFIED_MAX),
      seen: nextSeen(previous.seen, keys),
      ...(minDelayMs > 0 ? { minDelayMs } : {}),
    }
    ownCursors.add(next)
    return {
      mentions,
      cursor: next,
      notModified: false,
      ...(minDelayMs > 0 ? { minDelayMs } : {}),
      ...moved,
    }
  },
}

export type FeedCheck = { title: string | null; items: number; movedTo: string | null }

/** "Test connection": fetches and parses a feed once, to name it and prove it works. */
export async function testFeed(
  url: string,
  http: HttpClient,
  now: () => number = Date.now,
): Promise<FeedCheck> {
  const response = await fetchFeed(http, url, { etag: null, lastModified: null, seen: [] })
  const parsed = await parseAnswer(undefined, response, {
    feedUrl: url,
    sourceId: 'test',
    fetchedAt: now(),
  })
  return { title: parsed.title, items: parsed.mentions.length, movedTo: response.movedTo }
}
