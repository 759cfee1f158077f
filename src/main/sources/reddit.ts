/* Reddit through the responder's own approved "script" app: post search, the newest comments of
   chosen subreddits matched here (Reddit cannot search comments), and username mentions from the
   inbox; a created-time watermark plus seen ids per stream; threads and replies. */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { BrandProfile, HeardMention } from '../../shared/domain'
import { compileTerms, type TermMatcher } from '../triage/terms'
import type {
  Connector,
  PollContext,
  PollResult,
  ReplyRequest,
  ReplyResult,
  SourceCursor,
} from './connector'
import { SourceError } from './connector'
import type { HttpResponse } from './http'
import type { ParsePool } from './parse-pool'
import { OFF_THREAD_JSON_BYTES, parseOffThread } from './parse-pool'
import type { RedditConfig } from './reddit-auth'
import { RedditBudget, accessToken, dropToken, redditUserAgent } from './reddit-auth'
import type { RedditThing } from './reddit-parse'
import {
  fullnameSchema,
  isGone,
  parseListing,
  parsePosted,
  parseThread,
  thingToMention,
} from './reddit-parse'

/** Reddit's largest page. */
export const PAGE_LIMIT = 100
/** Pages per stream per poll: a burst is caught up over a few polls, within Reddit's budget. */
export const MAX_PAGES = 4
/** Search indexing lags; each poll looks this far behind the newest item it has seen. */
export const OVERLAP_SEC = 3600
/** A new stream looks back one day. */
export const BACKFILL_SEC = 24 * 3600
/** Fullnames remembered per stream, enough for several full polls of a busy subreddit. */
export const SEEN_LIMIT = 600
/** Subreddits per `/r/a+b+c/comments` request. */
export const SUBREDDITS_PER_REQUEST = 25
/** Reddit's search accepts up to 512 characters. */
export const QUERY_MAX = 512
/** What the source's health says while Reddit refuses the inbox; the other streams go on. */
export const INBOX_REFUSED_NOTE =
  'Reddit refused the inbox: the app needs the privatemessages scope; search still works'

/** After a refused inbox (no `privatemessages` scope), ask again this much later. */
export const MENTIONS_RETRY_SEC = 6 * 3600
/** A reply by the brand account with the same text, this recent, is taken as already posted. */
export const REPLY_SAME_WITHIN_SEC = 3600

export { redditUserAgent } from './reddit-auth'

const words = (term: string): string[] =>
  term
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')

/** A name as one Reddit search term: a quoted phrase when it is more than one word. */
function phrase(term: string): string {
  const clean = term.replace(/["()]/g, ' ').replace(/\s+/g, ' ').trim()
  return /^[\p{L}\p{N}_]+$/u.test(clean) ? clean : `"${clean}"`
}

/**
 * The search text: the source's own query, or the brand and each product OR-ed together (a
 * product that contains the brand's words is already found by the brand), within 512 characters.
 */
export function redditQuery(profile: BrandProfile | null, override?: string): string {
  const own = override?.trim()
  if (own) return own.slice(0, QUERY_MAX)
  if (!profile) return ''
  const brandWords = words(profile.brand)
  const taken = new Set<string>()
  const terms: string[] = []
  for (const name of [profile.brand, ...profile.products]) {
    const key = words(name).join(' ')
    if (key === '' || taken.has(key)) continue
    if (terms.length > 0 && brandWords.every((word) => words(name).includes(word))) continue
    taken.add(key)
    terms.push(phrase(name))
  }
  let query = ''
  for (const term of terms) {
    const next = query === '' ? term : `${query} OR ${term}`
    if (next.length > QUERY_MAX) break
    query = next
  }
  return query
}

/** Names to match comments against when there is no profile: the custom query's terms. */
function queryProfile(query: string): BrandProfile | null {
  const terms = query
    .split(/\s+(?:OR|AND)\s+/)
    .map((term) => term.replace(/["()]/g, ' ').replace(/\s+/g, ' ').trim())
    .filter((term) => term !== '' && !term.startsWith('-') && !term.includes(':'))
    .map((term) => term.slice(0, 100))
  const [brand, ...products] = terms
  if (!brand) return null
  return { brand, handles: [], products: products.slice(0, 100), competitors: [], excluded: [] }
}

export type RedditStreamCursor = {
  /** The newest `created_utc` heard in this stream (unix seconds), or null before anything. */
  watermark: number | null
  /** Fullnames already handled, oldest first. */
  seen: string[]
}

export type RedditCursor = {
  streams: Record<string, RedditStreamCursor>
  /** Until when (unix seconds) the inbox is not asked again after Reddit refused it. */
  mentionsOffUntil: number | null
}

const streamSchema = z.object({
  watermark: z.number().int().nonnegative().nullable().catch(null),
  seen: z.array(z.string().max(40)).max(SEEN_LIMIT).catch([]),
})
const cursorSchema = z.object({
  streams: z.record(z.string().max(200), z.unknown()).catch({}),
  mentionsOffUntil: z.number().int().nonnegative().nullable().catch(null),
})

/** Reads a stored cursor; a damaged stream is forgotten, which costs one day's re-fetch. */
export function readRedditCursor(cursor: SourceCursor | undefined): RedditCursor {
  const parsed = cursorSchema.safeParse(cursor ?? {})
  if (!parsed.success) return { streams: {}, mentionsOffUntil: null }
  const streams: Record<string, RedditStreamCursor> = {}
  for (const [key, value] of Object.entries(parsed.data.streams)) {
    const stream = streamSchema.safeParse(value)
    if (stream.success) streams[key] = stream.data
  }
  return { streams, mentionsOffUntil: parsed.data.mentionsOffUntil }
}

type Stream = {
  key: string
  subject: string
  url: (after: string | null) => string
  /** Whether a fetched thing is a mention for the responder. */
  keep: (thing: RedditThing) => boolean
  addressed: boolean
}

const base = (url: string) => url.replace(/\/+$/, '')
const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 12)

/** Subreddits once each (Reddit names ignore case), in request-sized groups. */
export function subredditBatches(subreddits: readonly string[]): string[][] {
  const seen = new Set<string>()
  const unique = subreddits.filter((name) => {
    const key = name.toLowerCase()
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  const batches: string[][] = []
  for (let i = 0; i < unique.length; i += SUBREDDITS_PER_REQUEST) {
    batches.push(unique.slice(i, i + SUBREDDITS_PER_REQUEST))
  }
  return batches
}

function listingUrl(
  root: string,
  path: string,
  params: Record<string, string>,
  after: string | null,
) {
  const query = new URLSearchParams(params)
  if (after) query.set('after', after)
  return `${base(root)}${path}?${query.toString()}`
}

/** One Reddit session for one poll, thread or reply: the token, the User-Agent and the budget. */
class Session {
  readonly budget = new RedditBudget()
  private token: string | null = null

  constructor(
    private readonly config: RedditConfig,
    private readonly ctx: PollContext,
  ) {}

  get parser(): ParsePool | undefined {
    return this.ctx.parser
  }

  get(url: string, subject: string): Promise<HttpResponse> {
    return this.request(url, subject)
  }

  post(url: string, form: URLSearchParams, subject: string): Promise<HttpResponse> {
    return this.request(url, subject, form.toString())
  }

  /** A signed-in request; a refused token is replaced once, then the refusal stands. */
  private async request(url: string, subject: string, body?: string): Promise<HttpResponse> {
    this.token ??= await accessToken(this.config, this.ctx)
    let response = await this.send(url, subject, this.token, body)
    if (response.status === 401) {
      await dropToken(this.ctx)
      this.token = await accessToken(this.config, this.ctx, true)
      response = await this.send(url, subject, this.token, body)
      if (response.status === 401) {
        await dropToken(this.ctx)
        throw new SourceError(
          'auth',
          `${subject} refused Earshot's sign-in even with a new token (401 Unauthorized); ` +
            "check the app's credentials and that it is still approved",
          { status: 401 },
        )
      }
    }
    return response
  }

  private async send(
    url: string,
    subject: string,
    token: string,
    body: string | undefined,
  ): Promise<HttpResponse> {
    const headers: Record<string, string> = {
      authorization: `bearer ${token}`,
      accept: 'application/json',
      'user-agent': redditUserAgent(this.config.username),
    }
    const common = {
      headers,
      subject,
      allowErrors: true,
      ...(this.ctx.signal ? { signal: this.ctx.signal } : {}),
    }
    const response =
      body === undefined
        ? await this.ctx.http.get(url, common)
        : await this.ctx.http.send(url, {
            ...common,
            method: 'POST',
            body,
            headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          })
    this.budget.observe(response)
    return response
  }
}

type StreamResult = { things: RedditThing[]; cursor: RedditStreamCursor }

async function readStream(
  session: Session,
  stream: Stream,
  previous: RedditStreamCursor | undefined,
  nowSec: number,
): Promise<StreamResult> {
  const seen = new Set(previous?.seen ?? [])
  const floor =
    previous?.watermark === null || previous?.watermark === undefined
      ? Math.max(0, nowSec - BACKFILL_SEC)
      : Math.max(0, previous.watermark - OVERLAP_SEC)
  const fetched: RedditThing[] = []
  let after: string | null = null
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await session.get(stream.url(after), stream.subject)
    const listing =
      response.body.length < OFF_THREAD_JSON_BYTES
        ? parseListing(response.body, stream.subject, response.status)
        : await parseOffThread(
            session.parser,
            'reddit-listing',
            response.body,
            stream.subject,
            response.status,
          )
    fetched.push(...listing.things)
    // Newest first: follow `after` only while the whole page is new.
    const reachedKnown = listing.things.some(
      (thing) => seen.has(thing.name) || Math.floor(thing.created_utc) < floor,
    )
    if (reachedKnown || listing.after === null || listing.things.length === 0) break
    if (session.budget.exhausted) break
    after = listing.after
  }
  let watermark = previous?.watermark ?? null
  const things: RedditThing[] = []
  const handled: string[] = []
  for (const thing of fetched) {
    // A claim from the future only lowers to now: a lower mark costs overlap, a higher one loses.
    const at = Math.min(Math.floor(thing.created_utc), nowSec)
    if (at < floor) continue
    watermark = watermark === null ? at : Math.max(watermark, at)
    handled.push(thing.name)
    if (seen.has(thing.name)) continue
    seen.add(thing.name)
    things.push(thing)
  }
  const fresh = new Set(handled)
  const kept = (previous?.seen ?? []).filter((name) => !fresh.has(name))
  return { things, cursor: { watermark, seen: [...kept, ...fresh].slice(-SEEN_LIMIT) } }
}

function profileFor(
  getProfile: () => BrandProfile | null,
  config: RedditConfig,
): { query: string; matcher: TermMatcher } {
  const profile = getProfile()
  const query = redditQuery(profile, config.query)
  const local = profile ?? (config.query ? queryProfile(config.query) : null)
  if (query === '' || !local) {
    throw new SourceError(
      'config',
      'Reddit needs a brand profile or its own search text to know what to look for',
    )
  }
  return { query, matcher: compileTerms(local) }
}

function refOf(target: HeardMention): { fullname: string; thread: string } {
  const fullname = target.platformRef?.['fullname'] ?? target.id.replace(/^reddit:/, '')
  if (target.platform !== 'reddit' || !fullnameSchema.safeParse(fullname).success) {
    throw new SourceError('config', 'This mention is not a Reddit post or comment')
  }
  const thread = fullname.startsWith('t3_')
    ? fullname
    : (target.threadId?.replace(/^reddit:/, '') ?? '')
  if (!/^t3_[a-z0-9]{1,16}$/.test(thread)) {
    throw new SourceError('config', 'This Reddit comment does not say which post it belongs to')
  }
  return { fullname, thread }
}

function threadUrl(
  config: RedditConfig,
  ref: { fullname: string; thread: string },
  extra: Record<string, string>,
  ancestors: number,
): string {
  const params = new URLSearchParams({ raw_json: '1', ...extra })
  // For a comment: its ancestors, the comment and its replies, not the whole discussion.
  if (ref.fullname.startsWith('t1_')) {
    params.set('comment', ref.fullname.slice(3))
    params.set('context', String(ancestors))
  }
  return `${base(config.apiBase)}/comments/${ref.thread.slice(3)}?${params.toString()}`
}

const sameText = (a: string, b: string) =>
  a.replace(/\r\n?/g, '\n').trim() === b.replace(/\r\n?/g, '\n').trim()

/** The Reddit connector; without its own query it searches what the brand profile names. */
export function createRedditConnector(
  getProfile: () => BrandProfile | null,
): Connector<RedditConfig> {
  return {
    kind: 'reddit',

    async poll(config, cursor, ctx): Promise<PollResult> {
      const { query, matcher } = profileFor(getProfile, config)
      const previous = readRedditCursor(cursor)
      const fetchedAt = ctx.now()
      const nowSec = Math.floor(fetchedAt / 1000)
      const session = new Session(config, ctx)
      const api = config.apiBase
      // A comment is kept when it names the brand, a product or one of the brand's handles.
      const names = (text: string) => {
        const hits = matcher.find(text)
        return hits.brand || hits.products.length > 0 || hits.directed
      }
      const streams: Stream[] = [
        {
          key: `search:${shortHash(query)}`,
          subject: 'Reddit search',
          url: (after) =>
            listingUrl(
              api,
              '/search',
              {
                q: query,
                sort: 'new',
                t: 'week',
                limit: String(PAGE_LIMIT),
                type: 'link',
                raw_json: '1',
              },
              after,
            ),
          keep: (thing) => thing.kind === 't3',
          addressed: false,
        },
        ...subredditBatches(config.subreddits).map((batch): Stream => ({
          key: `comments:${batch.join('+').toLowerCase()}`,
          subject: `Reddit comments in ${batch.map((name) => `r/${name}`).join(', ')}`,
          url: (after) =>
            listingUrl(
              api,
              `/r/${batch.join('+')}/comments`,
              { limit: String(PAGE_LIMIT), raw_json: '1' },
              after,
            ),
          // Reddit cannot search comments: the newest are read and matched here.
          keep: (thing) => thing.kind === 't1' && !isGone(thing.body) && names(thing.body),
          addressed: false,
        })),
      ]
      const mentionsOff = previous.mentionsOffUntil !== null && previous.mentionsOffUntil > nowSec
      if (!mentionsOff) {
        streams.push({
          key: 'mentions',
          subject: `Reddit mentions of u/${config.username}`,
          url: (after) =>
            listingUrl(
              api,
              '/message/mentions',
              { limit: String(PAGE_LIMIT), raw_json: '1' },
              after,
            ),
          keep: (thing) => thing.kind === 't1' && !isGone(thing.body),
          addressed: true,
        })
      }

      const next: RedditCursor = {
        streams: {},
        mentionsOffUntil: mentionsOff ? previous.mentionsOffUntil : null,
      }
      const byId = new Map<string, HeardMention>()
      for (const stream of streams) {
        const before = previous.streams[stream.key]
        // Out of budget: the rest waits for the next poll, its cursor unchanged.
        if (session.budget.exhausted) {
          if (before) next.streams[stream.key] = before
          continue
        }
        let result: StreamResult
        try {
          result = await readStream(session, stream, before, nowSec)
        } catch (cause) {
          // The inbox needs the `privatemessages` scope; without it the rest still works.
          if (
            stream.key === 'mentions' &&
            cause instanceof SourceError &&
            cause.details.status === 403
          ) {
            next.mentionsOffUntil = nowSec + MENTIONS_RETRY_SEC
            continue
          }
          throw cause
        }
        next.streams[stream.key] = result.cursor
        for (const thing of result.things) {
          if (!stream.keep(thing)) continue
          const mention = thingToMention(thing, config.id, fetchedAt, stream.addressed)
          const hits = matcher.find(
            mention.title ? `${mention.title}\n${mention.text}` : mention.text,
          )
          if (hits.excluded.length > 0) continue
          const known = byId.get(mention.id)
          byId.set(mention.id, known?.addressed ? { ...mention, addressed: true } : mention)
        }
      }
      const mentions = [...byId.values()].sort(
        (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
      )
      const delay = session.budget.exhausted
        ? (session.budget.resetMs ?? undefined)
        : session.budget.delayMs
      // Said while the inbox is refused or waiting to be asked again; cleared once it answers.
      const inboxRefused = next.mentionsOffUntil !== null && next.mentionsOffUntil > nowSec
      const inboxRead = next.streams['mentions'] !== undefined && !inboxRefused
      return {
        mentions,
        cursor: next,
        notModified: false,
        ...(delay === undefined ? {} : { minDelayMs: delay }),
        ...(inboxRefused ? { note: INBOX_REFUSED_NOTE } : inboxRead ? { note: null } : {}),
      }
    },

    async thread(config, target, ctx): Promise<HeardMention[]> {
      const ref = refOf(target)
      const session = new Session(config, ctx)
      const subject = 'Reddit thread'
      const url = threadUrl(config, ref, { limit: '200', depth: '8' }, 8)
      const response = await session.get(url, subject)
      const fetchedAt = ctx.now()
      const things = parseThread(response.body, subject, response.status)
      const unique = new Map<string, HeardMention>()
      for (const thing of things) {
        unique.set(thing.name, thingToMention(thing, config.id, fetchedAt))
      }
      return [...unique.values()].sort(
        (a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id),
      )
    },

    async reply(config, request: ReplyRequest, ctx): Promise<ReplyResult> {
      const ref = refOf(request.target)
      const text = request.text.trim()
      if (text === '') throw new SourceError('config', 'The reply is empty')
      const session = new Session(config, ctx)
      // Reddit takes no idempotency key: a reply already there (a retry after a lost answer)
      // is returned instead of posting the same words twice.
      const existing = await findOwnReply(session, config, ref, text, Math.floor(ctx.now() / 1000))
      if (existing) return existing
      const subject = 'Reddit'
      const form = new URLSearchParams({ thing_id: ref.fullname, text, api_type: 'json' })
      const response = await session.post(`${base(config.apiBase)}/api/comment`, form, subject)
      if (response.status === 403) {
        throw new SourceError(
          'http',
          'Reddit refused the reply (403 Forbidden): the account may be banned from this ' +
            'subreddit, or the app lacks the "submit" permission',
          { status: 403 },
        )
      }
      const posted = parsePosted(response.body, subject, response.status)
      return { remoteId: posted.name, url: posted.url }
    },
  }
}

async function findOwnReply(
  session: Session,
  config: RedditConfig,
  ref: { fullname: string; thread: string },
  text: string,
  nowSec: number,
): Promise<ReplyResult | null> {
  const subject = 'Reddit thread'
  // The target at the top (no ancestors), so `depth` reaches its direct replies.
  const url = threadUrl(config, ref, { limit: '100', depth: '2', sort: 'new' }, 0)
  const response = await session.get(url, subject)
  const me = config.username.toLowerCase()
  for (const thing of parseThread(response.body, subject, response.status)) {
    if (
      thing.kind === 't1' &&
      thing.parent_id === ref.fullname &&
      thing.author?.toLowerCase() === me &&
      thing.created_utc >= nowSec - REPLY_SAME_WITHIN_SEC &&
      sameText(thing.body, text)
    ) {
      const mention = thingToMention(thing, config.id, nowSec * 1000)
      return { remoteId: thing.name, url: mention.url }
    }
  }
  return null
}
