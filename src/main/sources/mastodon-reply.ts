/* The conversation around a Mastodon post, and replies posted as the brand account. A post heard
   on another server is first found on the configured instance (its ids are local there). */
import type { HeardMention } from '../../shared/domain'
import type { PollContext, ReplyRequest, ReplyResult } from './connector'
import { SourceError } from './connector'
import type { HttpResponse } from './http'
import type { MastodonConfig, MastodonStatus } from './mastodon-parse'
import {
  accessToken,
  authHeaders,
  bodyError,
  fullAcct,
  mentionIdOf,
  parseContext,
  parseSearch,
  parseStatus,
  postOf,
  statusesToMentions,
  statusId,
  subjectFor,
  tokenRefused,
} from './mastodon-parse'

const base = (config: MastodonConfig) => config.instance.replace(/\/+$/, '')

/** What Earshot knows of a mention's status on the configured instance. */
type Target = { localId: string | null; uri: string; visibility: string | null }

function targetOf(config: MastodonConfig, mention: HeardMention): Target {
  const ref = mention.platformRef ?? {}
  const uri = ref['uri'] ?? mention.id.replace(/^mastodon:/, '')
  const sameInstance = ref['instance'] === new URL(config.instance).origin
  const local = ref['statusId']
  return {
    localId: sameInstance && local && statusId.safeParse(local).success ? local : null,
    uri,
    visibility: ref['visibility'] ?? null,
  }
}

async function get(
  ctx: PollContext,
  config: MastodonConfig,
  url: string,
  token: string | null,
  what: string,
): Promise<HttpResponse> {
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
    if ((status === 401 || status === 403) && token !== null)
      throw tokenRefused(subject, status, what)
    if (status === 401 || status === 403) {
      throw new SourceError('auth', `${subject} shows this only to signed-in users`, { status })
    }
    if (status === 404) {
      throw new SourceError('http', `${subject} no longer has this post (deleted or hidden)`, {
        status,
      })
    }
    throw cause
  }
}

/**
 * The id on the configured instance of a post heard elsewhere:
 * `GET /api/v2/search?q=<uri>&resolve=true&type=statuses` (resolving needs the token).
 */
export async function resolveStatus(
  config: MastodonConfig,
  uri: string,
  ctx: PollContext,
  token: string,
): Promise<MastodonStatus> {
  const params = new URLSearchParams({ q: uri, resolve: 'true', type: 'statuses', limit: '5' })
  const url = `${base(config)}/api/v2/search?${params.toString()}`
  const response = await get(ctx, config, url, token, 'look up posts')
  const subject = subjectFor(config)
  const found = parseSearch(response.body, subject)
  const match =
    found.find((status) => postOf(status).uri === uri) ??
    (found.length === 1 ? found[0] : undefined)
  if (!match) {
    throw new SourceError(
      'http',
      `${subject} could not find this post (it may be deleted, private, or its server unreachable)`,
    )
  }
  return postOf(match)
}

/**
 * The conversation around `target` (`GET /api/v1/statuses/:id/context`): ancestors, the target,
 * then replies, oldest first, each linked to its parent. Public posts need no token.
 */
export async function mastodonThread(
  config: MastodonConfig,
  target: HeardMention,
  ctx: PollContext,
): Promise<HeardMention[]> {
  const token = accessToken(ctx)
  const known = targetOf(config, target)
  let localId = known.localId
  if (localId === null) {
    if (token === null) {
      throw new SourceError(
        'auth',
        `This post is from another server; reading its conversation through ${subjectFor(config)} needs the brand account's access token`,
      )
    }
    localId = (await resolveStatus(config, known.uri, ctx, token)).id
  }
  const url = `${base(config)}/api/v1/statuses/${localId}/context`
  const response = await get(ctx, config, url, token, 'show conversations')
  const { ancestors, descendants } = parseContext(response.body, subjectFor(config))
  const fetchedAt = ctx.now()
  const host = new URL(config.instance).hostname
  const origin = new URL(config.instance).origin
  // Ancestors first, so each reply finds its parent, and the target's place in the chain.
  const linksFor = new Map<string, { id: string; threadId?: string | undefined }>()
  const before = statusesToMentions(
    ancestors.map((status) => ({ status })),
    config.id,
    host,
    origin,
    fetchedAt,
    linksFor,
  )
  const root = before[0]
  const parent = ancestors.at(-1)
  const middle: HeardMention = {
    ...target,
    ...(parent ? { replyTo: mentionIdOf(postOf(parent)) } : {}),
    threadId: root?.threadId ?? root?.id ?? target.threadId ?? target.id,
  }
  linksFor.set(localId, { id: target.id, threadId: middle.threadId })
  const after = statusesToMentions(
    descendants.map((status) => ({ status })),
    config.id,
    host,
    origin,
    fetchedAt,
    linksFor,
  ).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
  return [...before, middle, ...after]
}

/** Mastodon's visibilities, most public first; a reply is never more public than its post. */
const VISIBILITIES = ['public', 'unlisted', 'private', 'direct'] as const
type Visibility = (typeof VISIBILITIES)[number]
/** For a post whose visibility Earshot does not know: seen by anyone, kept off public timelines. */
export const DEFAULT_VISIBILITY: Visibility = 'unlisted'

function replyVisibility(of: string | null): Visibility {
  return (VISIBILITIES as readonly string[]).includes(of ?? '')
    ? (of as Visibility)
    : DEFAULT_VISIBILITY
}

/**
 * The text as sent: Mastodon notifies only accounts named in the text, so a reply that does not
 * already name the author starts with their full `@user@host`.
 */
export function replyText(target: HeardMention, text: string, instanceHost: string): string {
  const handle = target.author.handle?.replace(/^@/, '')
  if (!handle) return text
  const acct = fullAcct(handle, instanceHost)
  const user = acct.split('@')[0] ?? acct
  const named = new RegExp(
    `@${escape(user)}(@${escape(acct.split('@')[1] ?? '')})?(?![\\w.@-])`,
    'i',
  )
  return named.test(text) ? text : `@${acct} ${text}`
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/**
 * Posts a reply as the brand account: `POST /api/v1/statuses` with `in_reply_to_id` (local to the
 * configured instance, resolved first for posts heard elsewhere), the post's own visibility, and
 * `Idempotency-Key` so the same request twice makes one post. A timeout is `SourceError('timeout')`:
 * the outcome is unknown and nothing is retried here.
 */
export async function mastodonReply(
  config: MastodonConfig,
  request: ReplyRequest,
  ctx: PollContext,
): Promise<ReplyResult> {
  const subject = subjectFor(config)
  const token = accessToken(ctx)
  if (token === null) {
    throw new SourceError(
      'auth',
      `Replying through ${subject} needs the brand account's access token (scope write:statuses)`,
    )
  }
  const target = targetOf(config, request.target)
  let localId = target.localId
  let visibility = target.visibility
  if (localId === null) {
    const resolved = await resolveStatus(config, target.uri, ctx, token)
    localId = resolved.id
    visibility = typeof resolved.visibility === 'string' ? resolved.visibility : visibility
  }
  const url = `${base(config)}/api/v1/statuses`
  const body = JSON.stringify({
    status: replyText(request.target, request.text, new URL(config.instance).hostname),
    in_reply_to_id: localId,
    visibility: replyVisibility(visibility),
  })
  const response = await ctx.http.send(url, {
    method: 'POST',
    body,
    headers: {
      accept: 'application/json',
      'content-type': 'application/json',
      'idempotency-key': request.idempotencyKey,
      ...authHeaders(config.instance, url, token),
    },
    subject,
    allowErrors: true,
    ...(ctx.signal ? { signal: ctx.signal } : {}),
  })
  if (response.status === 401 || response.status === 403) {
    throw tokenRefused(subject, response.status, 'post replies')
  }
  if (response.status < 200 || response.status > 299) {
    const why = bodyError(response.body)
    const words =
      response.status === 404
        ? `${subject} no longer has the post being answered (deleted or hidden)`
        : `${subject} refused the reply (${response.status})${why ? `: ${why}` : ''}`
    throw new SourceError('http', words, { status: response.status })
  }
  const posted = parseStatus(response.body, subject)
  return { remoteId: posted.uri, url: posted.url ?? posted.uri }
}
