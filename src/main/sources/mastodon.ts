/* Mastodon on one instance. Without a token: public hashtag timelines, `min_id` polling per tag,
   ids compared as big integers, `Link` paging while pages are full, `X-RateLimit-*` honoured.
   With the brand account's token (`{accessToken}` from the credential store) also status search
   for the brand's names and mentions of the account (notifications), the conversation around a
   post, replies, and a live stream (mastodon-stream.ts). The token goes to the configured
   instance's origin only. */
import type { BrandProfile, HeardMention } from '../../shared/domain'
import { mastodonHashtagSchema } from '../../shared/domain'
import { hnQueries } from '../../shared/hn-query'
import type { Connector, PollContext, PollResult, SourceCursor } from './connector'
import { SourceError } from './connector'
import type { HttpResponse } from './http'
import { MAX_RETRY_AFTER_MS } from './http'
import { OFF_THREAD_JSON_BYTES, parseOffThread } from './parse-pool'
import type { MastodonConfig, MastodonCursor, MastodonStatus } from './mastodon-parse'
import {
  accessToken,
  authHeaders,
  compareIds,
  maxId,
  parseNotifications,
  parseSearch,
  parseTimeline,
  postOf,
  readMastodonCursor,
  statusesToMentions,
  statusId,
  subjectFor,
  tokenRefused,
} from './mastodon-parse'
import { mastodonReply, mastodonThread } from './mastodon-reply'
import type { StreamTuning } from './mastodon-stream'
import { openMastodonStream } from './mastodon-stream'
import { truncate } from './rss'

export type { MastodonConfig, MastodonCursor, MastodonStatus } from './mastodon-parse'
export {
  accessToken,
  authHeaders,
  compareIds,
  parseContext,
  parseNotifications,
  parseSearch,
  parseStatus,
  parseStreamFrame,
  parseTimeline,
  readMastodonCursor,
  statusToMention,
} from './mastodon-parse'

/** Mastodon's largest page for timelines, searches and notifications (which allow 80). */
export const PAGE_LIMIT = 40
/**
 * Pages per tag per poll. Every `min_id` request counts against the 300-per-15-minutes paging
 * limit, so a burst is caught up over a few polls rather than in one.
 */
export const MAX_PAGES_PER_TAG = 4
/** Searches per poll at most (the brand, then products), one request each. */
export const MAX_SEARCHES = 4
/** A new source's first search keeps only posts from the last day: search history is not news. */
export const SEARCH_BACKFILL_MS = 24 * 3600 * 1000

export const SIGNED_IN_ONLY = 'This instance only shows hashtag timelines to signed-in users'
export const NO_FEEDS =
  "This Mastodon source has no hashtags and no access token: add a hashtag, or the brand account's token"

/** Tags once each, first spelling kept: Mastodon matches hashtags whatever their case. */
export function uniqueTags(hashtags: readonly string[]): string[] {
  const seen = new Set<string>()
  return hashtags.filter((tag) => {
    const key = tag.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** The default name of a hashtag source, e.g. `#acme #acmecloud on mastodon.social`. */
export function mastodonName(instance: string, hashtags: readonly string[]): string {
  const tags = uniqueTags(hashtags).map((tag) => `#${tag}`)
  const what = tags.length > 0 ? tags.join(' ') : 'Mastodon'
  return truncate(`${what} on ${new URL(instance).hostname}`, 120)
}

export function timelineUrl(instance: string, tag: string, minId: string | null): string {
  const params = new URLSearchParams({ limit: String(PAGE_LIMIT) })
  if (minId !== null) params.set('min_id', minId)
  const base = instance.replace(/\/+$/, '')
  return `${base}/api/v1/timelines/tag/${encodeURIComponent(tag)}?${params.toString()}`
}

/** The `min_id` of the `Link` header's `rel="prev"` (the next newer page), if any. */
export function prevMinId(link: string | undefined): string | null {
  if (!link) return null
  for (const part of link.split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim())
    if (!match || !/\brel\s*=\s*"?prev"?/i.test(match[2] ?? '')) continue
    try {
      const minId = new URL(match[1] ?? '').searchParams.get('min_id')
      return minId !== null && statusId.safeParse(minId).success ? minId : null
    } catch {
      return null
    }
  }
  return null
}

/**
 * `X-RateLimit-Remaining: 0` means the next request would be refused: wait until
 * `X-RateLimit-Reset` (an ISO time; Mastodon sends no `Retry-After`).
 */
function checkBudget(response: HttpResponse, subject: string, now: number): void {
  if (response.headers['x-ratelimit-remaining']?.trim() !== '0') return
  const reset = Date.parse(response.headers['x-ratelimit-reset'] ?? '')
  const retryAfterMs = Number.isFinite(reset)
    ? Math.min(Math.max(0, reset - now), MAX_RETRY_AFTER_MS)
    : undefined
  throw new SourceError('rate-limited', `${subject} has no requests left until its limit resets`, {
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  })
}

type Feed = 'tag' | 'search' | 'notifications'

const feedWords: Record<Feed, string> = {
  tag: 'show hashtag timelines',
  search: 'search posts',
  notifications: "show the account's mentions",
}

/** GETs a Mastodon API page; null for a 404 on a tag timeline (a tag nobody has used yet). */
async function fetchPage(
  ctx: PollContext,
  config: MastodonConfig,
  url: string,
  token: string | null,
  feed: Feed,
): Promise<HttpResponse | null> {
  const subject = subjectFor(config)
  try {
    return await ctx.http.get(url, {
      headers: { accept: 'application/json', ...authHeaders(config.instance, url, token) },
      subject,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    })
  } catch (cause) {
    if (!(cause instanceof SourceError)) throw cause
    const status = cause.details.status
    if (status === 401 || status === 403) {
      // Without a token, on a tag timeline both statuses mean "sign in first".
      if (token === null) throw new SourceError('auth', SIGNED_IN_ONLY, { status })
      throw tokenRefused(subject, status, feedWords[feed])
    }
    if (status === 404 && feed === 'tag') return null
    throw cause
  }
}

export function searchUrl(instance: string, query: string, minId: string | null): string {
  const params = new URLSearchParams({
    q: query,
    type: 'statuses',
    resolve: 'false',
    limit: String(PAGE_LIMIT),
  })
  if (minId !== null) params.set('min_id', minId)
  return `${instance.replace(/\/+$/, '')}/api/v2/search?${params.toString()}`
}

export function notificationsUrl(instance: string, minId: string | null): string {
  const params = new URLSearchParams({ 'types[]': 'mention', limit: String(PAGE_LIMIT) })
  if (minId !== null) params.set('min_id', minId)
  return `${instance.replace(/\/+$/, '')}/api/v1/notifications?${params.toString()}`
}

/**
 * What status search asks for: the brand, then each product not already found by the brand's
 * words, multi-word names quoted as phrases (Mastodon's search syntax, like Algolia's), at most
 * `MAX_SEARCHES`.
 */
export function mastodonSearchQueries(profile: BrandProfile | null): string[] {
  return hnQueries(profile).slice(0, MAX_SEARCHES)
}

/** A poll's outcome, plus the feeds it read to the end (nothing newer left on the server). */
export type MastodonPoll = {
  result: PollResult
  /** `tag:<tag>` and `notifications` when their last page was not full. */
  caughtUp: Set<string>
}

type Heard = { status: MastodonStatus; addressed?: boolean }

/** One poll of every feed the source has: hashtags, then (with a token) searches and mentions. */
export async function pollMastodon(
  config: MastodonConfig,
  cursor: SourceCursor | undefined,
  ctx: PollContext,
  profile: BrandProfile | null,
): Promise<MastodonPoll> {
  const previous = readMastodonCursor(cursor)
  const fetchedAt = ctx.now()
  const origin = new URL(config.instance).origin
  const host = new URL(config.instance).hostname
  const subject = subjectFor(config)
  const token = accessToken(ctx)
  const tags = uniqueTags(config.hashtags)
    .map((tag) => tag.toLowerCase())
    .filter((tag) => mastodonHashtagSchema.safeParse(tag).success)
  if (tags.length === 0 && token === null) throw new SourceError('config', NO_FEEDS)
  const heard: Heard[] = []
  const caughtUp = new Set<string>()
  const minIds: Record<string, string> = {}
  let missing = 0
  for (const tag of tags) {
    const known = previous.minIds[tag] ?? null
    let minId = known
    for (let page = 0; page < MAX_PAGES_PER_TAG; page++) {
      const url = timelineUrl(config.instance, tag, minId)
      const response = await fetchPage(ctx, config, url, token, 'tag')
      if (response === null) {
        missing++
        caughtUp.add(`tag:${tag}`)
        break
      }
      const statuses = await readPage(
        ctx,
        'mastodon-timeline',
        parseTimeline,
        response.body,
        subject,
      )
      for (const status of statuses) heard.push({ status })
      const top = maxId(statuses.map((status) => status.id))
      if (top !== null && (minId === null || compareIds(top, minId) > 0)) minId = top
      checkBudget(response, subject, ctx.now())
      if (statuses.length < PAGE_LIMIT) caughtUp.add(`tag:${tag}`)
      // The first poll takes the newest page only: a tag's whole history is not news.
      if (known === null || statuses.length < PAGE_LIMIT) break
      const prev = prevMinId(response.headers['link'])
      if (prev !== null && minId !== null && compareIds(prev, minId) > 0) minId = prev
    }
    if (minId !== null) minIds[tag] = minId
  }
  if (tags.length > 0 && missing === tags.length) {
    throw new SourceError(
      'http',
      `${subject} answered 404 Not Found for every hashtag; check the instance address`,
      { status: 404 },
    )
  }
  const next: MastodonCursor = { minIds }
  if (token !== null) {
    next.searchMinIds = await pollSearches(config, ctx, token, profile, previous, heard, fetchedAt)
    const notes = await pollNotifications(config, ctx, token, previous, heard, caughtUp)
    if (notes !== null) next.notificationsMinId = notes
  }
  const byId = new Map<string, HeardMention>()
  for (const mention of statusesToMentions(heard, config.id, host, origin, fetchedAt)) {
    const before = byId.get(mention.id)
    // The same post through a tag and a notification: one mention, addressed if either says so.
    byId.set(mention.id, before?.addressed ? { ...mention, addressed: true } : mention)
  }
  const mentions = [...byId.values()].sort(
    (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
  )
  return { result: { mentions, cursor: next, notModified: false }, caughtUp }
}

/** One page per search text, newer than the last id found for it (client-side too: some
 *  instances ignore `min_id` on search). Returns the new per-text marks. */
async function pollSearches(
  config: MastodonConfig,
  ctx: PollContext,
  token: string,
  profile: BrandProfile | null,
  previous: MastodonCursor,
  heard: Heard[],
  fetchedAt: number,
): Promise<Record<string, string>> {
  const subject = subjectFor(config)
  const marks: Record<string, string> = {}
  for (const query of mastodonSearchQueries(profile)) {
    const known = previous.searchMinIds?.[query] ?? null
    const url = searchUrl(config.instance, query, known)
    const response = await fetchPage(ctx, config, url, token, 'search')
    if (response === null) continue
    const statuses = await readPage(ctx, 'mastodon-search', parseSearch, response.body, subject)
    for (const status of statuses) {
      if (known !== null && compareIds(status.id, known) <= 0) continue
      const created = Date.parse(postOf(status).created_at)
      if (known === null && !(created >= fetchedAt - SEARCH_BACKFILL_MS)) continue
      heard.push({ status })
    }
    const top = maxId([...statuses.map((status) => status.id), ...(known ? [known] : [])])
    if (top !== null) marks[query] = top
    checkBudget(response, subject, ctx.now())
  }
  return marks
}

/**
 * Reads one page from an instance, which is as untrusted as any feed: a large body goes to the
 * parse worker (with its watchdog and memory limit), as the RSS, HN, Reddit and Bluesky answers
 * do; a small one is read in place, where a worker round trip would cost more than the parse.
 * `read` is the same function the worker runs for `task`.
 */
async function readPage<T>(
  ctx: PollContext,
  task: 'mastodon-timeline' | 'mastodon-search' | 'mastodon-notifications',
  read: (body: string, subject: string) => T,
  body: string,
  subject: string,
): Promise<T> {
  if (body.length < OFF_THREAD_JSON_BYTES) return read(body, subject)
  const offThread = parseOffThread as (
    pool: PollContext['parser'],
    name: typeof task,
    ...args: [string, string]
  ) => Promise<T>
  return offThread(ctx.parser, task, body, subject)
}

/** Mentions of the brand account, `min_id` paging like a tag; every one is addressed. */
async function pollNotifications(
  config: MastodonConfig,
  ctx: PollContext,
  token: string,
  previous: MastodonCursor,
  heard: Heard[],
  caughtUp: Set<string>,
): Promise<string | null> {
  const subject = subjectFor(config)
  const known = previous.notificationsMinId ?? null
  let minId = known
  for (let page = 0; page < MAX_PAGES_PER_TAG; page++) {
    const url = notificationsUrl(config.instance, minId)
    const response = await fetchPage(ctx, config, url, token, 'notifications')
    if (response === null) break
    const { ids, mentions } = await readPage(
      ctx,
      'mastodon-notifications',
      parseNotifications,
      response.body,
      subject,
    )
    for (const { status } of mentions) heard.push({ status, addressed: true })
    const top = maxId(ids)
    if (top !== null && (minId === null || compareIds(top, minId) > 0)) minId = top
    checkBudget(response, subject, ctx.now())
    if (ids.length < PAGE_LIMIT) caughtUp.add('notifications')
    if (known === null || ids.length < PAGE_LIMIT) break
  }
  return minId
}

export type MastodonConnectorOptions = {
  /** Streaming timings (tests shorten them). */
  stream?: Partial<StreamTuning>
}

/**
 * The Mastodon connector; status search reads the brand profile at each poll. Without a token
 * it reads hashtag timelines only, exactly as before tokens existed.
 */
export function createMastodonConnector(
  getProfile: () => BrandProfile | null,
  options: MastodonConnectorOptions = {},
): Connector<MastodonConfig> {
  return {
    kind: 'mastodon',
    async poll(config, cursor, ctx): Promise<PollResult> {
      return (await pollMastodon(config, cursor, ctx, getProfile())).result
    },
    thread: mastodonThread,
    reply: mastodonReply,
    stream(config, ctx, sink) {
      return openMastodonStream(config, ctx, sink, {
        poll: (cursor) => pollMastodon(config, cursor, ctx, getProfile()),
        ...(options.stream ? { tuning: options.stream } : {}),
      })
    },
  }
}

/** The connector without a brand profile (hashtags and mentions only; no status search). */
export const mastodonConnector: Connector<MastodonConfig> = createMastodonConnector(() => null)
