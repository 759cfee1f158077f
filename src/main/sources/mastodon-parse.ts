/* Mastodon's answers read at the boundary: statuses, search results, notifications, thread
   contexts and streaming frames, each checked with zod and turned into mentions; and the small
   rules every Mastodon request shares (the token, and where it may go). Pure: no I/O. */
import { z } from 'zod'
import type { HeardMention, SourceConfig } from '../../shared/domain'
import type { PollContext, SourceCursor } from './connector'
import { SourceError } from './connector'
import { hnPlainText } from './hn'
import { truncate } from './rss'

export type MastodonConfig = Extract<SourceConfig, { kind: 'mastodon' }>

/** The brand account's access token, when the credential store holds one. */
export function accessToken(ctx: Pick<PollContext, 'secrets'>): string | null {
  const value = ctx.secrets?.get()?.['accessToken']
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null
}

/** `Authorization` for `url` only when it is on the configured instance's origin. */
export function authHeaders(
  instance: string,
  url: string,
  token: string | null,
): Record<string, string> {
  if (token === null) return {}
  return new URL(url).origin === new URL(instance).origin
    ? { authorization: `Bearer ${token}` }
    : {}
}

export const subjectFor = (config: MastodonConfig) =>
  `Mastodon at ${new URL(config.instance).hostname}`

/** The words for a 401 or 403 to a request that carried the token. */
export function tokenRefused(subject: string, status: number, what: string): SourceError {
  return status === 401
    ? new SourceError(
        'auth',
        `${subject} refused the access token (401): it was revoked or mistyped; create a new one`,
        { status },
      )
    : new SourceError(
        'auth',
        `${subject} refused to ${what} with this access token (403): give it the scopes read:search read:notifications read:statuses write:statuses`,
        { status },
      )
}

const TITLE_MAX = 1000
const TEXT_MAX = 20_000

/** A Mastodon id as the API sends it: a decimal string (a snowflake for statuses). */
export const statusId = z.string().regex(/^\d{1,30}$/, 'not a status id')

/** Orders two status ids as the integers they are: "99" < "100", and 19 digits stay exact. */
export function compareIds(a: string, b: string): number {
  const x = BigInt(a)
  const y = BigInt(b)
  return x < y ? -1 : x > y ? 1 : 0
}

export const maxId = (ids: readonly string[]): string | null =>
  ids.reduce<string | null>((top, id) => (top === null || compareIds(id, top) > 0 ? id : top), null)

export type MastodonCursor = {
  /** Per tag, the highest status id heard (a decimal string; compare with `compareIds`). */
  minIds: Record<string, string>
  /** Per search text (with a token), the highest status id found. */
  searchMinIds?: Record<string, string>
  /** The highest mention-notification id read (with a token). */
  notificationsMinId?: string
}

const cursorSchema = z.object({
  minIds: z.record(z.string(), z.unknown()).catch({}),
  searchMinIds: z.record(z.string(), z.unknown()).optional().catch(undefined),
  notificationsMinId: z.unknown().optional(),
})

function validIds(raw: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, id] of Object.entries(raw ?? {})) {
    if (typeof id === 'string' && statusId.safeParse(id).success) out[key] = id
  }
  return out
}

/** Reads a stored cursor; a damaged entry is forgotten, which costs only that feed's newest page. */
export function readMastodonCursor(cursor: SourceCursor | undefined): MastodonCursor {
  const parsed = cursorSchema.safeParse(cursor ?? {})
  if (!parsed.success) return { minIds: {} }
  const out: MastodonCursor = { minIds: validIds(parsed.data.minIds) }
  if (parsed.data.searchMinIds !== undefined) {
    out.searchMinIds = validIds(parsed.data.searchMinIds)
  }
  const notes = parsed.data.notificationsMinId
  if (typeof notes === 'string' && statusId.safeParse(notes).success) {
    out.notificationsMinId = notes
  }
  return out
}

const accountSchema = z.object({
  id: z.string().min(1).max(100),
  username: z.string().min(1).max(300),
  acct: z.string().min(1).max(600),
  display_name: z.string().nullable().optional(),
  url: z.string().max(4096).nullable().optional(),
  uri: z.unknown().optional(),
  followers_count: z.unknown().optional(),
})

// Fields a mention can do without are read leniently: a strange count or reply id is dropped,
// never a reason to refuse the whole page.
const baseStatus = {
  id: statusId,
  uri: z.string().trim().min(1).max(2000),
  url: z.string().max(4096).nullable().optional(),
  created_at: z.string().max(100),
  content: z.string(),
  spoiler_text: z.string().nullable().optional(),
  account: accountSchema,
  in_reply_to_id: z.unknown().optional(),
  in_reply_to_account_id: z.unknown().optional(),
  visibility: z.unknown().optional(),
  replies_count: z.unknown().optional(),
  favourites_count: z.unknown().optional(),
  reblogs_count: z.unknown().optional(),
}
const innerStatusSchema = z.object(baseStatus)
export const statusSchema = z.object({
  ...baseStatus,
  reblog: innerStatusSchema.nullable().optional(),
})
export type MastodonStatus = z.infer<typeof statusSchema>
type InnerStatus = z.infer<typeof innerStatusSchema>

/** JSON from a body, or a parse error naming what came instead (a web page, nothing, a fragment). */
function readJson(body: string, subject: string, what: string): unknown {
  const text = body.replace(/^\uFEFF/, '').trimStart()
  if (text === '') throw new SourceError('parse', `${subject} sent an empty answer`)
  if (text.startsWith('<')) {
    throw new SourceError('parse', `${subject} returned a web page, not ${what}`)
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new SourceError('parse', `${subject} sent a broken answer (not complete JSON)`)
  }
}

/** The `error` text of a Mastodon error body (`{"error":"Record not found"}`), as plain words. */
export function errorMessage(json: unknown): string | null {
  if (typeof json !== 'object' || json === null || !('error' in json)) return null
  return typeof json.error === 'string' ? truncate(hnPlainText(json.error), 200) : null
}

/** `errorMessage` of a raw body, or null when it is no JSON error. */
export function bodyError(body: string): string | null {
  try {
    return errorMessage(JSON.parse(body))
  } catch {
    return null
  }
}

function readStatuses(list: unknown[], subject: string, noun = 'post'): MastodonStatus[] {
  return list.map((raw, index) => {
    const status = statusSchema.safeParse(raw)
    if (!status.success) {
      const issue = status.error.issues[0]
      const where = `${issue?.path.join('.') || noun}: ${issue?.message ?? 'not as expected'}`
      throw new SourceError(
        'parse',
        `${subject} sent a ${noun} Earshot could not read (${noun} ${index + 1}, ${where})`,
      )
    }
    return status.data
  })
}

function expectList(json: unknown, subject: string, what: string): unknown[] {
  if (Array.isArray(json)) return json
  const message = errorMessage(json)
  throw new SourceError(
    'parse',
    message ? `${subject} answered with an error: ${message}` : `${subject} sent ${what}`,
  )
}

/** Reads one timeline page. Throws only `SourceError('parse')`, in plain words. */
export function parseTimeline(body: string, subject: string): MastodonStatus[] {
  const json = readJson(body, subject, 'a Mastodon timeline')
  return readStatuses(expectList(json, subject, 'something other than a list of posts'), subject)
}

/** Reads `/api/v2/search` (`{accounts, statuses, hashtags}`): its statuses. */
export function parseSearch(body: string, subject: string): MastodonStatus[] {
  const json = readJson(body, subject, 'Mastodon search results')
  const shape = z.object({ statuses: z.array(z.unknown()) }).safeParse(json)
  if (!shape.success) {
    const message = errorMessage(json)
    throw new SourceError(
      'parse',
      message
        ? `${subject} answered with an error: ${message}`
        : `${subject} sent something other than search results`,
    )
  }
  return readStatuses(shape.data.statuses, subject)
}

const notificationSchema = z.object({
  id: statusId,
  type: z.string().max(100),
  status: z.unknown().optional(),
})
export type MastodonMention = { id: string; status: MastodonStatus }

/**
 * One notification: a mention with its status, `null` for any other kind (follows, likes), or a
 * parse error when it is not a notification at all.
 */
export function readNotification(raw: unknown, subject: string): MastodonMention | null {
  const note = notificationSchema.safeParse(raw)
  if (!note.success) {
    const issue = note.error.issues[0]
    throw new SourceError(
      'parse',
      `${subject} sent a notification Earshot could not read (${issue?.path.join('.') || 'notification'}: ${issue?.message ?? 'not as expected'})`,
    )
  }
  if (note.data.type !== 'mention' || note.data.status === undefined || note.data.status === null) {
    return null
  }
  const [status] = readStatuses([note.data.status], subject, 'mention')
  return status ? { id: note.data.id, status } : null
}

/**
 * Reads `/api/v1/notifications`: every notification's id (for the cursor) and the mentions among
 * them. Throws only `SourceError('parse')`.
 */
export function parseNotifications(
  body: string,
  subject: string,
): { ids: string[]; mentions: MastodonMention[] } {
  const json = readJson(body, subject, 'Mastodon notifications')
  const list = expectList(json, subject, 'something other than a list of notifications')
  const ids: string[] = []
  const mentions: MastodonMention[] = []
  for (const raw of list) {
    const mention = readNotification(raw, subject)
    const id = notificationSchema.shape.id.parse((raw as { id: unknown }).id)
    ids.push(id)
    if (mention) mentions.push(mention)
  }
  return { ids, mentions }
}

/** Reads `/api/v1/statuses/:id/context`: ancestors (oldest first) and descendants. */
export function parseContext(
  body: string,
  subject: string,
): { ancestors: MastodonStatus[]; descendants: MastodonStatus[] } {
  const json = readJson(body, subject, 'a Mastodon conversation')
  const shape = z
    .object({ ancestors: z.array(z.unknown()), descendants: z.array(z.unknown()) })
    .safeParse(json)
  if (!shape.success) {
    const message = errorMessage(json)
    throw new SourceError(
      'parse',
      message
        ? `${subject} answered with an error: ${message}`
        : `${subject} sent something other than a conversation`,
    )
  }
  return {
    ancestors: readStatuses(shape.data.ancestors, subject),
    descendants: readStatuses(shape.data.descendants, subject),
  }
}

/** Reads one status (the answer to `POST /api/v1/statuses`). */
export function parseStatus(body: string, subject: string): MastodonStatus {
  const json = readJson(body, subject, 'a Mastodon post')
  if (Array.isArray(json) || typeof json !== 'object' || json === null) {
    throw new SourceError('parse', `${subject} sent something other than a post`)
  }
  const message = 'id' in json ? null : errorMessage(json)
  if (message) throw new SourceError('parse', `${subject} answered with an error: ${message}`)
  const [status] = readStatuses([json], subject)
  if (!status) throw new SourceError('parse', `${subject} sent something other than a post`)
  return status
}

/** `user` on its home instance is `user@host` anywhere else, so one person has one id. */
export function fullAcct(acct: string, instanceHost: string): string {
  const bare = acct.replace(/^@/, '')
  return bare.includes('@') ? bare : `${bare}@${instanceHost}`
}

const count = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined

const localId = (value: unknown): string | null =>
  typeof value === 'string' && statusId.safeParse(value).success ? value : null

/** The post a status stands for: a boost is heard as the post it shares. */
export const postOf = (status: MastodonStatus): InnerStatus => status.reblog ?? status

/** The stored id of a status: its `uri`, which every instance agrees on. */
export const mentionIdOf = (post: Pick<InnerStatus, 'uri'>): string => `mastodon:${post.uri}`

/**
 * Where a status sits in its conversation, as far as can be told without guessing.
 *
 * `replyTo` is the stored id (`mastodon:<uri>`) of the post answered. Mastodon gives only that
 * post's id local to this instance (`in_reply_to_id`), so the stored id is derived only when
 * (1) the post answered is among the statuses read together (`known`: one poll, one thread), or
 * (2) the author answers their own post and is an account of this instance whose `uri` is given:
 * a local status's uri is then `<account uri>/statuses/<local id>`. Otherwise `replyTo` is left
 * out (never guessed) and `platformRef.inReplyToId` keeps the local id for the thread view.
 *
 * `threadId` is the stored id of the conversation's first post: the status itself when it answers
 * nothing, the parent's `threadId` when that is known, else left out.
 */
export type ThreadLinks = { replyTo?: string; threadId?: string }

export function threadLinks(
  post: InnerStatus,
  known: ReadonlyMap<string, { id: string; threadId?: string | undefined }>,
): ThreadLinks {
  const parentLocal = localId(post.in_reply_to_id)
  if (parentLocal === null) return { threadId: mentionIdOf(post) }
  const parent = known.get(parentLocal)
  if (parent) {
    return { replyTo: parent.id, ...(parent.threadId ? { threadId: parent.threadId } : {}) }
  }
  const accountUri = post.account.uri
  const selfReply = localId(post.in_reply_to_account_id) === post.account.id
  const local = !post.account.acct.replace(/^@/, '').includes('@')
  if (selfReply && local && typeof accountUri === 'string' && /^https?:\/\//.test(accountUri)) {
    const uri = `${accountUri.replace(/\/+$/, '')}/statuses/${parentLocal}`
    if (uri.length <= 2000) return { replyTo: `mastodon:${uri}` }
  }
  return {}
}

/**
 * One status as a mention. A reblog is heard as the post it shares, so a boost and its original
 * are one mention (keyed by the original's `uri`, which every instance agrees on).
 * `instanceOrigin` is the configured instance: `platformRef.statusId` is local to it.
 */
export function statusToMention(
  status: MastodonStatus,
  sourceId: string,
  instanceHost: string,
  fetchedAt: number,
  extra: { instanceOrigin?: string; links?: ThreadLinks; addressed?: boolean } = {},
): HeardMention {
  const post = postOf(status)
  const account = post.account
  const acct = fullAcct(account.acct, instanceHost)
  const followers = count(account.followers_count)
  const claimed = Date.parse(post.created_at)
  // Mastodon's sanitized HTML is escaped once, like HN's: strip tags, then decode once.
  const spoiler = hnPlainText(post.spoiler_text ?? '')
  const name = (account.display_name ?? '').trim() || account.username
  const links = extra.links ?? threadLinks(post, new Map())
  const parentLocal = localId(post.in_reply_to_id)
  const visibility = typeof post.visibility === 'string' ? post.visibility : null
  const stats = {
    ...(count(post.replies_count) === undefined ? {} : { replies: count(post.replies_count) }),
    ...(count(post.favourites_count) === undefined ? {} : { likes: count(post.favourites_count) }),
    ...(count(post.reblogs_count) === undefined ? {} : { reposts: count(post.reblogs_count) }),
  }
  return {
    id: mentionIdOf(post),
    sourceId,
    platform: 'mastodon',
    url: post.url ?? post.uri,
    author: {
      id: truncate(`mastodon:${acct}`, 600),
      name: truncate(name, 300),
      handle: truncate(`@${acct}`, 300),
      ...(account.url && account.url.length <= 2048 ? { url: account.url } : {}),
      ...(followers === undefined ? {} : { followers }),
    },
    ...(spoiler ? { title: truncate(spoiler, TITLE_MAX) } : {}),
    text: truncate(hnPlainText(post.content), TEXT_MAX),
    createdAt:
      Number.isFinite(claimed) && claimed > 0 && claimed <= fetchedAt ? claimed : fetchedAt,
    fetchedAt,
    ...(extra.addressed ? { addressed: true } : {}),
    ...(links.replyTo ? { replyTo: links.replyTo } : {}),
    ...(links.threadId ? { threadId: links.threadId } : {}),
    platformRef: {
      statusId: post.id,
      uri: post.uri,
      ...(extra.instanceOrigin ? { instance: extra.instanceOrigin } : {}),
      ...(parentLocal ? { inReplyToId: parentLocal } : {}),
      ...(visibility && /^(public|unlisted|private|direct)$/.test(visibility)
        ? { visibility }
        : {}),
    },
    ...(Object.keys(stats).length > 0 ? { stats } : {}),
  }
}

/**
 * Statuses read together as mentions, each reply linked to its parent when the parent is among
 * them (see `threadLinks`). Parents are resolved before children whatever the input order.
 */
export function statusesToMentions(
  statuses: readonly { status: MastodonStatus; addressed?: boolean }[],
  sourceId: string,
  instanceHost: string,
  instanceOrigin: string,
  fetchedAt: number,
  known: Map<string, { id: string; threadId?: string | undefined }> = new Map(),
): HeardMention[] {
  const byLocal = new Map<string, InnerStatus>()
  for (const { status } of statuses) {
    const post = postOf(status)
    byLocal.set(post.id, post)
  }
  // Thread links in creation order of ids, so a parent is linked before its replies.
  const ordered = [...byLocal.values()].sort((a, b) => compareIds(a.id, b.id))
  const links = new Map<string, ThreadLinks>()
  for (const post of ordered) {
    const own = threadLinks(post, known)
    links.set(post.id, own)
    known.set(post.id, { id: mentionIdOf(post), threadId: own.threadId })
  }
  return statuses.map(({ status, addressed }) =>
    statusToMention(status, sourceId, instanceHost, fetchedAt, {
      instanceOrigin,
      links: links.get(postOf(status).id) ?? {},
      ...(addressed ? { addressed } : {}),
    }),
  )
}

/** A streaming frame: `{stream, event, payload}`, the payload a JSON string (or an id). */
const frameSchema = z.object({
  stream: z.array(z.string().max(200)).max(4).optional(),
  event: z.string().max(100),
  payload: z.string().max(1_000_000).optional(),
})

export type StreamEvent =
  | { kind: 'update'; stream: string[]; status: MastodonStatus }
  | { kind: 'mention'; id: string; status: MastodonStatus }
  | { kind: 'ignored' }
  | { kind: 'malformed'; reason: string }

/**
 * Reads one WebSocket text frame. Never throws: a frame that is not what Mastodon sends is
 * `malformed`, an event Earshot does not use (deletes, edits, other notifications) is `ignored`.
 */
export function parseStreamFrame(data: string): StreamEvent {
  let json: unknown
  try {
    json = JSON.parse(data)
  } catch {
    return { kind: 'malformed', reason: 'not JSON' }
  }
  const frame = frameSchema.safeParse(json)
  if (!frame.success) return { kind: 'malformed', reason: 'not a streaming event' }
  const { event, payload, stream = [] } = frame.data
  if (event !== 'update' && event !== 'notification') return { kind: 'ignored' }
  if (payload === undefined) return { kind: 'malformed', reason: `${event} without a payload` }
  let inner: unknown
  try {
    inner = JSON.parse(payload)
  } catch {
    return { kind: 'malformed', reason: `${event} payload is not JSON` }
  }
  try {
    if (event === 'update') {
      const [status] = readStatuses([inner], 'The stream')
      return status ? { kind: 'update', stream, status } : { kind: 'malformed', reason: 'empty' }
    }
    const mention = readNotification(inner, 'The stream')
    return mention ? { kind: 'mention', ...mention } : { kind: 'ignored' }
  } catch (cause) {
    return {
      kind: 'malformed',
      reason: cause instanceof SourceError ? cause.message : 'unreadable payload',
    }
  }
}
