/* Reddit's answers read at the boundary: listings of posts (t3) and comments (t1), threads, the
   comment a reply created, and the errors Reddit hides in a 200 body. Throws only `SourceError`. */
import { z } from 'zod'
import type { HeardMention } from '../../shared/domain'
import { SourceError } from './connector'
import { MAX_RETRY_AFTER_MS } from './http'
import { truncate } from './rss'

/** Where Reddit shows a post, a comment and a user, whatever API host answered. */
export const REDDIT_SITE = 'https://www.reddit.com'

const TITLE_MAX = 1000
const TEXT_MAX = 20_000

/** `t1_` comment or `t3_` post, with Reddit's base-36 id. */
export const fullnameSchema = z.string().regex(/^t[13]_[a-z0-9]{1,16}$/, 'not a Reddit id')
const anyFullname = z.string().regex(/^t[1-6]_[a-z0-9]{1,16}$/, 'not a Reddit id')

const createdUtc = z.number().finite().nonnegative()
const count = z.number().finite().nullable().optional()
const optionalText = z.string().nullable().optional()
const subreddit = z.string().max(100).nullable().optional()

const postSchema = z.object({
  name: fullnameSchema.refine((name) => name.startsWith('t3_'), 'not a post id'),
  title: z.string(),
  selftext: optionalText,
  author: optionalText,
  subreddit,
  permalink: z.string().min(1).max(2000),
  created_utc: createdUtc,
  num_comments: count,
  score: count,
})

const commentSchema = z.object({
  name: fullnameSchema.refine((name) => name.startsWith('t1_'), 'not a comment id'),
  body: z.string(),
  author: optionalText,
  subreddit,
  /** Listings and threads give the comment's own path... */
  permalink: z.string().min(1).max(2000).optional(),
  /** ...the inbox gives a `context` link to it instead (`…/<comment>/?context=3`). */
  context: z.string().min(1).max(2000).optional(),
  created_utc: createdUtc,
  link_id: anyFullname.optional(),
  parent_id: anyFullname.optional(),
  link_title: optionalText,
  score: count,
  replies: z.unknown().optional(),
})

export type RedditPost = z.infer<typeof postSchema> & { kind: 't3' }
export type RedditComment = z.infer<typeof commentSchema> & { kind: 't1' }
export type RedditThing = RedditPost | RedditComment

export type RedditListing = {
  things: RedditThing[]
  /** The fullname to ask `after` for the next (older) page; null on the last page. */
  after: string | null
}

const childSchema = z.object({ kind: z.string().max(40), data: z.unknown() })
const listingSchema = z.object({
  kind: z.literal('Listing'),
  data: z.object({
    after: z.string().max(100).nullable().optional(),
    children: z.array(childSchema),
  }),
})

/** An error Reddit put in a body: `{"json":{"errors":[[code, words, field]]}}` or `{"error":…}`. */
export type RedditBodyError = { code: string; message: string }

export function bodyError(json: unknown): RedditBodyError | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null
  const record = json as Record<string, unknown>
  const inner = record['json']
  if (typeof inner === 'object' && inner !== null && 'errors' in inner) {
    const errors = inner.errors
    if (Array.isArray(errors) && errors.length > 0) {
      const first: unknown = errors[0]
      const parts = Array.isArray(first) ? first : [first]
      const code = typeof parts[0] === 'string' ? parts[0] : 'ERROR'
      const message = typeof parts[1] === 'string' ? parts[1] : code
      return { code: clean(code, 60), message: clean(message, 200) }
    }
    return null
  }
  const error = record['error']
  if (typeof error === 'number' || typeof error === 'string') {
    const message = typeof record['message'] === 'string' ? record['message'] : String(error)
    const reason = typeof record['reason'] === 'string' ? `: ${record['reason']}` : ''
    const code = String(error)
    const words = typeof error === 'number' ? `${error} ${message}${reason}` : message
    return { code: clean(code, 60), message: clean(words, 200) }
  }
  return null
}

function clean(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return truncate(text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim(), max)
}

/** "try again in 5 minutes", "Take a break for 3 minutes", "9 seconds": the wait in ms, or null. */
export function ratelimitWait(message: string): number | null {
  const match = /(\d+)\s*(second|minute|hour)s?/i.exec(message)
  if (!match) return null
  const unit = match[2]?.toLowerCase()
  const factor = unit === 'hour' ? 3_600_000 : unit === 'minute' ? 60_000 : 1000
  return Math.min(Number(match[1]) * factor, MAX_RETRY_AFTER_MS)
}

/** A body error as the failure the scheduler acts on, in words the responder can read. */
export function bodyErrorToSourceError(
  error: RedditBodyError,
  subject: string,
  status?: number,
): SourceError {
  const details = status === undefined ? {} : { status }
  if (error.code === 'RATELIMIT' || error.code === '429') {
    const wait = ratelimitWait(error.message)
    return new SourceError('rate-limited', `${subject} asked Earshot to wait: ${error.message}`, {
      ...details,
      ...(wait === null ? {} : { retryAfterMs: wait }),
    })
  }
  if (error.code === '401') {
    return new SourceError(
      'auth',
      `${subject} refused Earshot's sign-in (${error.message})`,
      details,
    )
  }
  return new SourceError('http', `${subject} answered with an error: ${error.message}`, details)
}

/**
 * Reads a Reddit answer as JSON, whatever its status: a web page means Reddit (or a network in
 * between) blocked the request, an error object becomes the matching `SourceError`.
 */
export function readRedditJson(body: string, subject: string, status = 200): unknown {
  const text = body.replace(/^\uFEFF/, '').trim()
  const line = status === 200 ? '' : ` (${status})`
  if (text === '') {
    if (status >= 200 && status < 300) {
      throw new SourceError('parse', `${subject} sent an empty answer`, { status })
    }
    throw new SourceError('http', `${subject} answered ${status} without saying why`, { status })
  }
  if (text.startsWith('<')) {
    const blocked = /\bblocked\b/i.test(text) || status === 403
    throw new SourceError(
      'http',
      blocked
        ? `Reddit blocked the request${line}: it answered with a web page, not data. ` +
            'Check that the app is approved and that this network is not blocked by Reddit'
        : `${subject} answered with a web page, not data${line}`,
      { status },
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw new SourceError('parse', `${subject} sent a broken answer (not complete JSON)`, {
      status,
    })
  }
  const error = bodyError(json)
  if (error) throw bodyErrorToSourceError(error, subject, status)
  if (status < 200 || status > 299) {
    throw new SourceError('http', `${subject} answered ${status}`, { status })
  }
  return json
}

function where(error: z.ZodError): string {
  const issue = error.issues[0]
  return `${issue?.path.join('.') || 'item'}: ${issue?.message ?? 'not as expected'}`
}

/** One child of a listing: a post, a comment, or null for what a mention is not ("more", t5…). */
export function readThing(child: unknown, subject: string, index: number): RedditThing | null {
  const wrapper = childSchema.safeParse(child)
  if (!wrapper.success) {
    throw new SourceError(
      'parse',
      `${subject} sent an item Earshot could not read (item ${index + 1}, ${where(wrapper.error)})`,
    )
  }
  const { kind, data } = wrapper.data
  const schema = kind === 't3' ? postSchema : kind === 't1' ? commentSchema : null
  if (!schema) return null
  const parsed = schema.safeParse(data)
  if (!parsed.success) {
    throw new SourceError(
      'parse',
      `${subject} sent ${kind === 't3' ? 'a post' : 'a comment'} Earshot could not read ` +
        `(item ${index + 1}, ${where(parsed.error)})`,
    )
  }
  return { ...parsed.data, kind } as RedditThing
}

function readListingValue(json: unknown, subject: string): RedditListing {
  const listing = listingSchema.safeParse(json)
  if (!listing.success) {
    throw new SourceError(
      'parse',
      `${subject} sent an answer without its list of posts (${where(listing.error)})`,
    )
  }
  const things: RedditThing[] = []
  listing.data.data.children.forEach((child, index) => {
    const thing = readThing(child, subject, index)
    if (thing) things.push(thing)
  })
  const after = listing.data.data.after
  return { things, after: typeof after === 'string' && after !== '' ? after : null }
}

/** Reads one listing page (search, subreddit comments, inbox). */
export function parseListing(body: string, subject: string, status = 200): RedditListing {
  return readListingValue(readRedditJson(body, subject, status), subject)
}

/**
 * Reads `/comments/{article}`: `[Listing<t3>, Listing<t1>]`, the comment tree flattened (each
 * comment's `replies` is a listing or `""`), "more" stubs left out, deepest levels bounded.
 */
export function parseThread(body: string, subject: string, status = 200): RedditThing[] {
  const json = readRedditJson(body, subject, status)
  if (!Array.isArray(json) || json.length < 2) {
    throw new SourceError('parse', `${subject} sent something other than a post and its comments`)
  }
  const things = [...readListingValue(json[0], subject).things]
  const pending: { listing: unknown; depth: number }[] = [{ listing: json[1], depth: 0 }]
  // A tree from the network is bounded here, not trusted: depth and size both capped.
  while (pending.length > 0 && things.length < 5000) {
    const next = pending.shift()
    if (!next || next.depth > 50) continue
    for (const thing of readListingValue(next.listing, subject).things) {
      things.push(thing)
      if (thing.kind === 't1' && typeof thing.replies === 'object' && thing.replies !== null) {
        pending.push({ listing: thing.replies, depth: next.depth + 1 })
      }
    }
  }
  return things
}

const postedSchema = z.object({
  json: z.object({
    data: z.object({
      things: z
        .array(
          z.object({
            kind: z.string(),
            data: z.object({
              name: fullnameSchema,
              permalink: z.string().max(2000).optional(),
            }),
          }),
        )
        .min(1),
    }),
  }),
})

/** Reads the answer to `POST /api/comment` (errors inside a 200 included). */
export function parsePosted(
  body: string,
  subject: string,
  status = 200,
): { name: string; url: string | null } {
  const json = readRedditJson(body, subject, status)
  const posted = postedSchema.safeParse(json)
  if (!posted.success) {
    throw new SourceError(
      'parse',
      `${subject} did not say which comment it created (${where(posted.error)}); ` +
        'check the thread on Reddit before trying again',
    )
  }
  const thing = posted.data.json.data.things[0]
  const permalink = thing?.data.permalink
  return {
    name: thing?.data.name ?? '',
    url: permalink?.startsWith('/') ? `${REDDIT_SITE}${permalink}` : null,
  }
}

const GONE = new Set(['[deleted]', '[removed]'])

/** Whether Reddit replaced the text (deleted by its author, removed by moderators). */
export function isGone(text: string | null | undefined): boolean {
  return text !== null && text !== undefined && GONE.has(text.trim())
}

/** The path of a comment from its `permalink` or, in the inbox, its `context` link. */
function pathOf(thing: RedditThing): string | null {
  const raw = thing.permalink ?? (thing.kind === 't1' ? thing.context : undefined)
  if (!raw?.startsWith('/')) return null
  return raw.replace(/[?#].*$/, '')
}

/** The post a comment belongs to: `link_id`, or the `/comments/<id>/` part of its path. */
export function threadOf(thing: RedditThing): string {
  if (thing.kind === 't3') return thing.name
  if (thing.link_id?.startsWith('t3_')) return thing.link_id
  const match = /\/comments\/([a-z0-9]{1,16})\//.exec(pathOf(thing) ?? '')
  return match?.[1] ? `t3_${match[1]}` : ''
}

const nonNegative = (value: number | null | undefined): number | undefined =>
  typeof value === 'number' && Number.isFinite(value)
    ? Math.min(Math.max(0, Math.floor(value)), Number.MAX_SAFE_INTEGER)
    : undefined

/** One post or comment as a mention. */
export function thingToMention(
  thing: RedditThing,
  sourceId: string,
  fetchedAt: number,
  addressed = false,
): HeardMention {
  const author = thing.author?.trim() ?? ''
  const known = author !== '' && !GONE.has(author)
  const path = pathOf(thing)
  const claimed = Math.floor(thing.created_utc) * 1000
  const rawText = thing.kind === 't3' ? (thing.selftext ?? '') : thing.body
  const text = isGone(rawText) ? '' : rawText.trim()
  const title = (thing.kind === 't3' ? thing.title : (thing.link_title ?? '')).trim()
  const thread = threadOf(thing)
  const likes = nonNegative(thing.score)
  const replies = thing.kind === 't3' ? nonNegative(thing.num_comments) : undefined
  const platformRef: Record<string, string> = { fullname: thing.name }
  if (thing.subreddit) platformRef['subreddit'] = thing.subreddit
  return {
    id: `reddit:${thing.name}`,
    sourceId,
    platform: 'reddit',
    url: path ? `${REDDIT_SITE}${path}` : null,
    author: known
      ? {
          id: truncate(`reddit:${author}`, 600),
          name: truncate(author, 300),
          handle: truncate(`u/${author}`, 300),
          url: truncate(`${REDDIT_SITE}/user/${encodeURIComponent(author)}`, 2048),
        }
      : // One deleted account is not every deleted account: no shared author id.
        { id: `reddit:deleted:${thing.name}`, name: 'deleted account' },
    ...(title ? { title: truncate(title, TITLE_MAX) } : {}),
    // A link post says everything in its title; triage still needs text to read.
    text: truncate(
      text ||
        (thing.kind === 't3' ? title : isGone(rawText) ? 'This comment was deleted on Reddit' : ''),
      TEXT_MAX,
    ),
    createdAt: claimed > 0 && claimed <= fetchedAt ? claimed : fetchedAt,
    fetchedAt,
    ...(addressed ? { addressed: true } : {}),
    ...(thing.kind === 't1' && thing.parent_id ? { replyTo: `reddit:${thing.parent_id}` } : {}),
    ...(thread ? { threadId: `reddit:${thread}` } : {}),
    platformRef,
    stats: {
      ...(replies === undefined ? {} : { replies }),
      ...(likes === undefined ? {} : { likes }),
    },
  }
}
