/* Bluesky through the brand account's app-password session: post search for what the brand profile
   names, the account's notifications (mentions, replies, quotes) as mentions addressed to the
   brand, threads, and replies posted once per idempotency key. */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { BrandProfile, HeardMention, SourceConfig } from '../../shared/domain'
import { hnQueries } from '../../shared/hn-query'
import type { Connector, PollContext, PollResult, SourceCursor } from './connector'
import { SourceError } from './connector'
import { shortDigest } from './digest'
import type { HttpResponse } from './http'
import { parseRateLimitReset } from './http'
import { OFF_THREAD_JSON_BYTES, parseOffThread } from './parse-pool'
import type { BlueskyPost } from './bluesky-parse'
import {
  ADDRESSED_REASONS,
  BSKY_APP,
  epoch,
  parseCreated,
  parseExisting,
  parseNotificationPage,
  parseSearchPage,
  parseThread,
  postToMention,
  rkeyOf,
  uriOfMention,
} from './bluesky-parse'
import type { BlueskyClient } from './bluesky-session'
import { SEARCH_NEEDS_LOGIN, createBlueskyClient } from './bluesky-session'
import { createQueryFilter } from './query'

type BlueskyConfig = Extract<SourceConfig, { kind: 'bluesky' }>

/** Searches per poll at most: Bluesky asks that search stay human-directed and infrequent. */
export const MAX_QUERIES = 4
export const SEARCH_LIMIT = 100
/** Pages per search, and of notifications, per poll; a burst is caught up over a few polls. */
export const MAX_PAGES = 3
export const NOTIFICATION_LIMIT = 50
/** `since` compares against sortAt, which can trail indexedAt; reach this far behind the mark. */
export const OVERLAP_MS = 2 * 60_000
/** A new source looks back one day. */
export const BACKFILL_MS = 24 * 3600_000
export const SEEN_LIMIT = 2000
/** How deep a thread is read around a post. */
export const THREAD_DEPTH = 10
export const THREAD_PARENT_HEIGHT = 40
/** Bluesky's limit for a post's text, in graphemes. */
export const POST_MAX_GRAPHEMES = 300

export type BlueskyCursor = {
  /** Per search text, the newest `indexedAt` heard (epoch ms). */
  searchMarks: Record<string, number>
  /** The newest notification `indexedAt` heard (epoch ms), or null before the first poll. */
  notificationMark: number | null
  /** Short hashes of the mentions delivered lately (an addressed one counts apart). */
  seen: string[]
}

const mark = z.number().int().nonnegative()
const cursorSchema = z.object({
  searchMarks: z.record(z.string().max(600), z.unknown()).catch({}),
  notificationMark: mark.nullable().catch(null),
  seen: z.array(z.string().max(64)).max(SEEN_LIMIT).catch([]),
})

/** Reads a stored cursor; a damaged part is forgotten, which costs at most a day's re-fetch. */
export function readBlueskyCursor(cursor: SourceCursor | undefined): BlueskyCursor {
  const parsed = cursorSchema.safeParse(cursor ?? {})
  if (!parsed.success) return { searchMarks: {}, notificationMark: null, seen: [] }
  const searchMarks: Record<string, number> = {}
  for (const [query, at] of Object.entries(parsed.data.searchMarks)) {
    if (mark.safeParse(at).success) searchMarks[query] = at as number
  }
  return { ...parsed.data, searchMarks }
}

const seenKey = (id: string, addressed: boolean) => shortDigest(addressed ? `${id}!` : id)

/**
 * The searches for a source: its own query, or the brand and each product the brand search would
 * not already find, multi-word names as quoted phrases (Bluesky search takes Lucene-like syntax).
 */
export function blueskyQueries(profile: BrandProfile | null, override?: string): string[] {
  return hnQueries(profile, override).slice(0, MAX_QUERIES)
}

/** The remaining budget was used up: stop asking this poll, and wait for the reset. */
function exhausted(response: HttpResponse, now: number): number | null {
  if (response.headers['ratelimit-remaining']?.trim() !== '0') return null
  return parseRateLimitReset(new Headers(response.headers), now) ?? 60_000
}

type Heard = { post: BlueskyPost; addressed: boolean }

async function searchAll(
  client: BlueskyClient,
  queries: string[],
  previous: BlueskyCursor,
  fetchedAt: number,
  ctx: PollContext,
  heard: Map<string, Heard>,
): Promise<{ marks: Record<string, number>; waitMs: number | null }> {
  const marks: Record<string, number> = {}
  for (const query of queries) {
    const known = previous.searchMarks[query] ?? null
    const since = known === null ? fetchedAt - BACKFILL_MS : known - OVERLAP_MS
    let top = known
    let page: string | null = null
    for (let n = 0; n < MAX_PAGES; n++) {
      const params = new URLSearchParams({
        q: query,
        sort: 'latest',
        since: new Date(Math.max(0, since)).toISOString(),
        limit: String(SEARCH_LIMIT),
      })
      if (page !== null) params.set('cursor', page)
      const response = await client.call({
        method: 'GET',
        host: 'service',
        nsid: 'app.bsky.feed.searchPosts',
        params,
        htmlForbidden: SEARCH_NEEDS_LOGIN,
      })
      const answer =
        response.body.length < OFF_THREAD_JSON_BYTES
          ? parseSearchPage(response.body, 'Bluesky search')
          : await parseOffThread(ctx.parser, 'bluesky-search', response.body, 'Bluesky search')
      let oldest = Infinity
      for (const post of answer.posts) {
        const at = epoch(post.indexedAt)
        // Older than the window: the server ignored `since`. No time at all: heard, but no mark.
        if (at !== null && at < since) continue
        if (at !== null) {
          const clamped = Math.min(at, fetchedAt)
          top = top === null ? clamped : Math.max(top, clamped)
          oldest = Math.min(oldest, at)
        }
        if (!heard.has(post.uri)) heard.set(post.uri, { post, addressed: false })
      }
      const waitMs = exhausted(response, ctx.now())
      if (waitMs !== null) {
        if (top !== null) marks[query] = top
        return { marks, waitMs }
      }
      page = answer.cursor
      // Newest first: once a page reaches back to the window's start, there is nothing older to hear.
      const full = answer.posts.length >= SEARCH_LIMIT
      if (!full || page === null || oldest <= since) break
    }
    if (top !== null) marks[query] = top
  }
  return { marks, waitMs: null }
}

async function notificationsAll(
  client: BlueskyClient,
  previous: BlueskyCursor,
  fetchedAt: number,
  ctx: PollContext,
  heard: Map<string, Heard>,
): Promise<{ mark: number | null; waitMs: number | null }> {
  const known = previous.notificationMark
  const since = known === null ? fetchedAt - BACKFILL_MS : known - OVERLAP_MS
  let top = known
  let page: string | null = null
  for (let n = 0; n < MAX_PAGES; n++) {
    const params = new URLSearchParams({ limit: String(NOTIFICATION_LIMIT) })
    for (const reason of ADDRESSED_REASONS) params.append('reasons', reason)
    if (page !== null) params.set('cursor', page)
    const response = await client.call({
      method: 'GET',
      host: 'service',
      nsid: 'app.bsky.notification.listNotifications',
      params,
    })
    const answer = parseNotificationPage(response.body, 'Bluesky notifications')
    for (const post of answer.posts) {
      const at = epoch(post.indexedAt)
      if (at !== null && at < since) continue
      if (at !== null)
        top = top === null ? Math.min(at, fetchedAt) : Math.max(top, Math.min(at, fetchedAt))
      heard.set(post.uri, { post: heard.get(post.uri)?.post ?? post, addressed: true })
    }
    const waitMs = exhausted(response, ctx.now())
    if (waitMs !== null) return { mark: top, waitMs }
    page = answer.cursor
    const oldest = answer.oldestIndexedAt === null ? null : epoch(answer.oldestIndexedAt)
    if (page === null || oldest === null || oldest <= since) break
  }
  return { mark: top, waitMs: null }
}

/** A post Earshot may answer: its address and content id, and its thread's root. */
type Target = { uri: string; cid: string; rootUri: string; rootCid: string }

async function targetOf(
  client: BlueskyClient,
  mention: HeardMention,
  fetchedAt: number,
): Promise<Target> {
  const uri = uriOfMention(mention)
  if (uri === null) {
    throw new SourceError(
      'config',
      'This mention did not come from Bluesky, so it cannot be answered there',
    )
  }
  const ref = mention.platformRef ?? {}
  const cid = ref['cid']
  if (cid) {
    const rootUri = ref['rootUri'] ?? uri
    const rootCid = ref['rootUri'] ? ref['rootCid'] : cid
    if (rootCid) return { uri, cid, rootUri, rootCid }
  }
  // Stored before references were kept: ask Bluesky for the post itself.
  const [post] = (await fetchThread(client, uri, 0, 0)).filter((p) => p.uri === uri)
  if (!post) throw new SourceError('http', 'Bluesky no longer has this post (deleted or hidden)')
  const heard = postToMention(post, '-', fetchedAt)
  const root = heard.platformRef ?? {}
  return {
    uri,
    cid: post.cid,
    rootUri: root['rootUri'] ?? uri,
    rootCid: root['rootCid'] ?? post.cid,
  }
}

async function fetchThread(
  client: BlueskyClient,
  uri: string,
  depth: number,
  parentHeight: number,
): Promise<BlueskyPost[]> {
  const params = new URLSearchParams({
    uri,
    depth: String(depth),
    parentHeight: String(parentHeight),
  })
  const response = await client.call({
    method: 'GET',
    host: 'service',
    nsid: 'app.bsky.feed.getPostThread',
    params,
  })
  return parseThread(response.body, 'Bluesky')
}

const B32 = '234567abcdefghijklmnopqrstuvwxyz'

/**
 * A record key in TID form (13 characters, 53-bit microsecond time and 10-bit clock id), derived
 * only from the idempotency key and the post answered: the same reply intent always gets the same
 * key, so a repeated create collides instead of posting twice. Its time falls within about 70
 * minutes after the answered post's own key time (or creation time), so it sorts plausibly.
 */
export function replyRkey(
  idempotencyKey: string,
  targetUri: string,
  targetCreatedAt: number,
): string {
  const hash = createHash('sha256').update(`earshot-reply\n${idempotencyKey}`).digest()
  const anchorUs = tidMicros(rkeyOf(targetUri)) ?? BigInt(Math.max(0, targetCreatedAt)) * 1000n
  const offsetUs = BigInt(hash.readUInt32BE(0))
  const clockId = BigInt(hash.readUInt16BE(4) & 0x3ff)
  const maxUs = (1n << 53n) - 1n
  const micros = anchorUs + offsetUs > maxUs ? maxUs : anchorUs + offsetUs
  let value = (micros << 10n) | clockId
  let out = ''
  for (let i = 0; i < 13; i++) {
    out = B32[Number(value & 31n)] + out
    value >>= 5n
  }
  return out
}

const TID = /^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$/

function tidMicros(rkey: string): bigint | null {
  if (!TID.test(rkey)) return null
  let value = 0n
  for (const char of rkey) value = (value << 5n) | BigInt(B32.indexOf(char))
  return value >> 10n
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })

/** Links in the text as Bluesky facets (byte ranges), so they are clickable in the post. */
export function linkFacets(text: string): unknown[] {
  const facets: unknown[] = []
  const encoder = new TextEncoder()
  for (const match of text.matchAll(/https?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'’”]/g)) {
    const byteStart = encoder.encode(text.slice(0, match.index)).byteLength
    const byteEnd = byteStart + encoder.encode(match[0]).byteLength
    facets.push({
      index: { byteStart, byteEnd },
      features: [{ $type: 'app.bsky.richtext.facet#link', uri: match[0] }],
    })
  }
  return facets
}

async function findExisting(
  client: BlueskyClient,
  did: string,
  rkey: string,
  parentUri: string,
): Promise<string | null> {
  try {
    const params = new URLSearchParams({ repo: did, collection: 'app.bsky.feed.post', rkey })
    const response = await client.call({
      method: 'GET',
      host: 'pds',
      nsid: 'com.atproto.repo.getRecord',
      params,
    })
    const existing = parseExisting(response.body, 'Bluesky')
    return existing.parentUri === parentUri ? existing.uri : null
  } catch (cause) {
    if (cause instanceof SourceError) return null
    throw cause
  }
}

/** The Bluesky connector; without its own query it searches what the brand profile names. */
export function createBlueskyConnector(
  getProfile: () => BrandProfile | null,
): Connector<BlueskyConfig> {
  const wanted = createQueryFilter(getProfile)
  return {
    kind: 'bluesky',
    async poll(config, cursor, ctx): Promise<PollResult> {
      const previous = readBlueskyCursor(cursor)
      const fetchedAt = ctx.now()
      const client = createBlueskyClient(config, ctx)
      const queries = blueskyQueries(getProfile(), config.query)
      const heard = new Map<string, Heard>()
      const search = await searchAll(client, queries, previous, fetchedAt, ctx, heard)
      const notes =
        search.waitMs === null
          ? await notificationsAll(client, previous, fetchedAt, ctx, heard)
          : { mark: previous.notificationMark, waitMs: null }
      const seen = new Set(previous.seen)
      const delivered: string[] = []
      const mentions: HeardMention[] = []
      for (const { post, addressed } of heard.values()) {
        const mention = postToMention(post, config.id, fetchedAt, addressed)
        if (!wanted(mention)) continue
        const key = seenKey(mention.id, addressed)
        delivered.push(key)
        // An addressed copy of a post first heard through search is delivered again, as addressed.
        if (!seen.has(key)) mentions.push(mention)
        seen.add(key)
      }
      mentions.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      const fresh = new Set(delivered)
      const next: BlueskyCursor = {
        searchMarks: { ...previous.searchMarks, ...search.marks },
        notificationMark: notes.mark,
        seen: [...previous.seen.filter((key) => !fresh.has(key)), ...fresh].slice(-SEEN_LIMIT),
      }
      // Searches no longer asked for (a changed profile) keep no mark.
      for (const query of Object.keys(next.searchMarks)) {
        if (!queries.includes(query)) delete next.searchMarks[query]
      }
      const waitMs = search.waitMs ?? notes.waitMs
      return {
        mentions,
        cursor: next,
        notModified: false,
        ...(waitMs === null ? {} : { minDelayMs: waitMs }),
      }
    },

    async thread(config, target, ctx): Promise<HeardMention[]> {
      const uri = uriOfMention(target)
      if (uri === null) {
        throw new SourceError(
          'config',
          'This mention did not come from Bluesky, so it has no thread there',
        )
      }
      const fetchedAt = ctx.now()
      const client = createBlueskyClient(config, ctx)
      const posts = await fetchThread(client, uri, THREAD_DEPTH, THREAD_PARENT_HEIGHT)
      return posts
        .map((post) => postToMention(post, config.id, fetchedAt))
        .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
    },

    async reply(config, request, ctx) {
      const text = request.text.trim()
      if (text === '') throw new SourceError('config', 'The reply is empty')
      const length = [...graphemes.segment(text)].length
      if (length > POST_MAX_GRAPHEMES) {
        throw new SourceError(
          'config',
          `A Bluesky post holds at most ${POST_MAX_GRAPHEMES} characters; this reply has ${length}`,
        )
      }
      const client = createBlueskyClient(config, ctx)
      const target = await targetOf(client, request.target, ctx.now())
      const session = await client.session()
      const rkey = replyRkey(request.idempotencyKey, target.uri, request.target.createdAt)
      const facets = linkFacets(text)
      const record = {
        $type: 'app.bsky.feed.post',
        text,
        createdAt: new Date(ctx.now()).toISOString(),
        reply: {
          root: { uri: target.rootUri, cid: target.rootCid },
          parent: { uri: target.uri, cid: target.cid },
        },
        ...(facets.length > 0 ? { facets } : {}),
      }
      const done = (uri: string) => ({
        remoteId: uri,
        url: `${BSKY_APP}/profile/${session.did}/post/${rkeyOf(uri)}`,
      })
      try {
        const response = await client.call({
          method: 'POST',
          host: 'pds',
          nsid: 'com.atproto.repo.createRecord',
          body: { repo: session.did, collection: 'app.bsky.feed.post', rkey, record },
        })
        return done(parseCreated(response.body, 'Bluesky').uri)
      } catch (cause) {
        if (!(cause instanceof SourceError) || cause.kind === 'auth') throw cause
        if (cause.kind === 'rate-limited' || cause.kind === 'config') throw cause
        // A create under a key already used fails; the record there is this reply, posted before.
        const existing = await findExisting(client, session.did, rkey, target.uri)
        if (existing !== null) return done(existing)
        throw cause
      }
    },
  }
}
