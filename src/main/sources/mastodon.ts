/* Mastodon hashtag timelines of one instance, without a token: `min_id` polling per tag, ids
   compared as big integers, `Link` paging while pages are full, `X-RateLimit-*` honoured.
   Status search, notifications and streaming need a user token and come with the credential store. */
import { z } from 'zod'
import type { HeardMention, SourceConfig } from '../../shared/domain'
import { mastodonHashtagSchema } from '../../shared/domain'
import type { Connector, PollResult, SourceCursor } from './connector'
import { SourceError } from './connector'
import { hnPlainText } from './hn'
import type { HttpClient, HttpResponse } from './http'
import { MAX_RETRY_AFTER_MS } from './http'
import { OFF_THREAD_JSON_BYTES, parseOffThread } from './parse-pool'
import { truncate } from './rss'

type MastodonConfig = Extract<SourceConfig, { kind: 'mastodon' }>

/** Mastodon's largest page for timelines. */
export const PAGE_LIMIT = 40
/**
 * Pages per tag per poll. Every `min_id` request counts against the 300-per-15-minutes paging
 * limit, so a burst is caught up over a few polls rather than in one.
 */
export const MAX_PAGES_PER_TAG = 4

const TITLE_MAX = 1000
const TEXT_MAX = 20_000
export const SIGNED_IN_ONLY = 'This instance only shows hashtag timelines to signed-in users'

export type MastodonCursor = {
  /** Per tag, the highest status id heard (a decimal string; compare with `compareIds`). */
  minIds: Record<string, string>
}

const statusId = z.string().regex(/^\d{1,30}$/, 'not a status id')

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
  return truncate(`${tags.join(' ')} on ${new URL(instance).hostname}`, 120)
}

/** Orders two status ids as the integers they are: "99" < "100", and 19 digits stay exact. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a)
  const y = BigInt(b)
  return x < y ? -1 : x > y ? 1 : 0
}

const maxId = (ids: readonly string[]): string | null =>
  ids.reduce<string | null>((top, id) => (top === null || compareIds(id, top) > 0 ? id : top), null)

const cursorSchema = z.object({
  minIds: z.record(z.string(), z.unknown()).catch({}),
})

/** Reads a stored cursor; a damaged entry is forgotten, which costs only that tag's newest page. */
export function readMastodonCursor(cursor: SourceCursor | undefined): MastodonCursor {
  const parsed = cursorSchema.safeParse(cursor ?? {})
  const minIds: Record<string, string> = {}
  if (!parsed.success) return { minIds }
  for (const [tag, id] of Object.entries(parsed.data.minIds)) {
    if (statusId.safeParse(id).success && typeof id === 'string') minIds[tag] = id
  }
  return { minIds }
}

const accountSchema = z.object({
  id: z.string().min(1).max(100),
  username: z.string().min(1).max(300),
  acct: z.string().min(1).max(600),
  display_name: z.string().nullable().optional(),
  url: z.string().max(4096).nullable().optional(),
  followers_count: z.unknown().optional(),
})

const baseStatus = {
  id: statusId,
  uri: z.string().trim().min(1).max(2000),
  url: z.string().max(4096).nullable().optional(),
  created_at: z.string().max(100),
  content: z.string(),
  spoiler_text: z.string().nullable().optional(),
  account: accountSchema,
}
const innerStatusSchema = z.object(baseStatus)
const statusSchema = z.object({ ...baseStatus, reblog: innerStatusSchema.nullable().optional() })
export type MastodonStatus = z.infer<typeof statusSchema>
type InnerStatus = z.infer<typeof innerStatusSchema>

/** Reads one timeline page. Throws only `SourceError('parse')`, in plain words. */
export function parseTimeline(body: string, subject: string): MastodonStatus[] {
  const text = body.replace(/^\uFEFF/, '').trimStart()
  if (text === '') throw new SourceError('parse', `${subject} sent an empty answer`)
  if (text.startsWith('<')) {
    throw new SourceError('parse', `${subject} returned a web page, not a Mastodon timeline`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new SourceError('parse', `${subject} sent a broken answer (not complete JSON)`)
  }
  if (!Array.isArray(json)) {
    const message = errorMessage(json)
    throw new SourceError(
      'parse',
      message
        ? `${subject} answered with an error: ${message}`
        : `${subject} sent something other than a list of posts`,
    )
  }
  return json.map((raw, index) => {
    const status = statusSchema.safeParse(raw)
    if (!status.success) {
      const issue = status.error.issues[0]
      const where = `${issue?.path.join('.') || 'post'}: ${issue?.message ?? 'not as expected'}`
      throw new SourceError(
        'parse',
        `${subject} sent a post Earshot could not read (post ${index + 1}, ${where})`,
      )
    }
    return status.data
  })
}

function errorMessage(json: unknown): string | null {
  if (typeof json !== 'object' || json === null || !('error' in json)) return null
  return typeof json.error === 'string' ? truncate(hnPlainText(json.error), 200) : null
}

/** `user` on its home instance is `user@host` anywhere else, so one person has one id. */
function fullAcct(acct: string, instanceHost: string): string {
  const bare = acct.replace(/^@/, '')
  return bare.includes('@') ? bare : `${bare}@${instanceHost}`
}

/**
 * One status as a mention. A reblog is heard as the post it shares, so a boost and its original
 * are one mention (keyed by the original's `uri`, which every instance agrees on).
 */
export function statusToMention(
  status: MastodonStatus,
  sourceId: string,
  instanceHost: string,
  fetchedAt: number,
): HeardMention {
  const post: InnerStatus = status.reblog ?? status
  const account = post.account
  const acct = fullAcct(account.acct, instanceHost)
  const followers = account.followers_count
  const claimed = Date.parse(post.created_at)
  // Mastodon's sanitized HTML is escaped once, like HN's: strip tags, then decode once.
  const spoiler = hnPlainText(post.spoiler_text ?? '')
  const name = (account.display_name ?? '').trim() || account.username
  return {
    id: `mastodon:${post.uri}`,
    sourceId,
    platform: 'mastodon',
    url: post.url ?? post.uri,
    author: {
      id: truncate(`mastodon:${acct}`, 600),
      name: truncate(name, 300),
      handle: truncate(`@${acct}`, 300),
      ...(account.url && account.url.length <= 2048 ? { url: account.url } : {}),
      ...(typeof followers === 'number' && Number.isSafeInteger(followers) && followers >= 0
        ? { followers }
        : {}),
    },
    ...(spoiler ? { title: truncate(spoiler, TITLE_MAX) } : {}),
    text: truncate(hnPlainText(post.content), TEXT_MAX),
    createdAt:
      Number.isFinite(claimed) && claimed > 0 && claimed <= fetchedAt ? claimed : fetchedAt,
    fetchedAt,
  }
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

async function fetchPage(
  http: HttpClient,
  url: string,
  subject: string,
  signal: AbortSignal | undefined,
): Promise<HttpResponse | null> {
  try {
    return await http.get(url, {
      headers: { accept: 'application/json' },
      subject,
      ...(signal ? { signal } : {}),
    })
  } catch (cause) {
    if (!(cause instanceof SourceError)) throw cause
    const status = cause.details.status
    // The shared client drops error bodies; on a tag timeline both statuses mean "sign in first".
    if (status === 401 || status === 403) {
      throw new SourceError('auth', SIGNED_IN_ONLY, { status })
    }
    // Mastodon answers 404 for a tag nobody has used yet.
    if (status === 404) return null
    throw cause
  }
}

/** The Mastodon connector: each hashtag's public timeline on the configured instance. */
export const mastodonConnector: Connector<MastodonConfig> = {
  kind: 'mastodon',
  async poll(config, cursor, ctx): Promise<PollResult> {
    const previous = readMastodonCursor(cursor)
    const fetchedAt = ctx.now()
    const host = new URL(config.instance).hostname
    const subject = `Mastodon at ${host}`
    const tags = uniqueTags(config.hashtags)
      .map((tag) => tag.toLowerCase())
      .filter((tag) => mastodonHashtagSchema.safeParse(tag).success)
    const minIds: Record<string, string> = {}
    const byId = new Map<string, HeardMention>()
    let missing = 0
    for (const tag of tags) {
      const known = previous.minIds[tag] ?? null
      let minId = known
      for (let page = 0; page < MAX_PAGES_PER_TAG; page++) {
        const response = await fetchPage(
          ctx.http,
          timelineUrl(config.instance, tag, minId),
          subject,
          ctx.signal,
        )
        if (response === null) {
          missing++
          break
        }
        const statuses =
          response.body.length < OFF_THREAD_JSON_BYTES
            ? parseTimeline(response.body, subject)
            : await parseOffThread(ctx.parser, 'mastodon-timeline', response.body, subject)
        for (const status of statuses) {
          const mention = statusToMention(status, config.id, host, fetchedAt)
          byId.set(mention.id, mention)
        }
        const top = maxId(statuses.map((status) => status.id))
        if (top !== null && (minId === null || compareIds(top, minId) > 0)) minId = top
        checkBudget(response, subject, ctx.now())
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
    const mentions = [...byId.values()].sort(
      (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
    )
    const next: MastodonCursor = { minIds }
    return { mentions, cursor: next, notModified: false }
  },
}
