/* Bluesky's answers as Earshot reads them: XRPC bodies checked with zod, posts and notifications
   turned into mentions, threads flattened oldest first. Everything here throws only SourceError. */
import { z } from 'zod'
import type { HeardMention } from '../../shared/domain'
import { SourceError } from './connector'
import { truncate } from './rss'

/** Where Bluesky shows posts and profiles; fixed, whatever server answered. */
export const BSKY_APP = 'https://bsky.app'
const TEXT_MAX = 20_000
/** Posts one thread may contribute, however large the conversation. */
export const MAX_THREAD_POSTS = 300

const did = z
  .string()
  .max(500)
  .regex(/^did:[a-z]+:[A-Za-z0-9._:%-]+$/, 'not a DID')
const handle = z.string().min(1).max(253)
/** `at://<did>/<collection>/<rkey>`; the parts Earshot relies on, strictly. */
export const atUriSchema = z
  .string()
  .max(2000)
  .regex(
    /^at:\/\/did:[a-z]+:[A-Za-z0-9._:%-]+\/[a-zA-Z0-9.-]+\/[A-Za-z0-9._~:-]{1,512}$/,
    'not an at:// post address',
  )
const cid = z.string().min(1).max(200)
const strongRefSchema = z.object({ uri: atUriSchema, cid })
const count = z.unknown().optional()

const profileSchema = z.object({
  did,
  handle,
  displayName: z.string().nullable().optional(),
})

const postRecordSchema = z.object({
  text: z.string(),
  createdAt: z.string().max(100),
  // A damaged reply reference loses the thread link, not the post.
  reply: z.object({ root: strongRefSchema, parent: strongRefSchema }).optional().catch(undefined),
})

const postViewSchema = z.object({
  uri: atUriSchema,
  cid,
  author: profileSchema,
  record: postRecordSchema,
  indexedAt: z.string().max(100),
  replyCount: count,
  repostCount: count,
  likeCount: count,
})
export type PostView = z.infer<typeof postViewSchema>

const notificationSchema = z.object({
  uri: atUriSchema,
  cid,
  author: profileSchema,
  reason: z.string().max(100),
  record: z.unknown(),
  indexedAt: z.string().max(100),
})

/** A post as heard, with when the AppView indexed it (the search watermark). */
export type BlueskyPost = {
  uri: string
  cid: string
  author: z.infer<typeof profileSchema>
  record: z.infer<typeof postRecordSchema>
  indexedAt: string
  stats?: { replies?: number; likes?: number; reposts?: number }
}

/** Notification reasons that mean someone spoke to the brand's account. */
export const ADDRESSED_REASONS = ['mention', 'reply', 'quote'] as const

/** XRPC's error body, `{error, message}`, when the answer has one. */
export type XrpcError = { error: string; message: string }

export function readXrpcError(body: string): XrpcError | null {
  try {
    const json: unknown = JSON.parse(body)
    if (typeof json !== 'object' || json === null) return null
    const error = 'error' in json && typeof json.error === 'string' ? json.error : ''
    const message = 'message' in json && typeof json.message === 'string' ? json.message : ''
    return error || message ? { error: clean(error, 80), message: clean(message, 200) } : null
  } catch {
    return null
  }
}

// Server words go into messages a responder reads: printable and short.
function clean(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  return truncate(text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim(), max)
}

/** Parses a JSON answer; an HTML page or broken JSON is a parse error in plain words. */
export function readJson(body: string, subject: string): unknown {
  const text = body.replace(/^\uFEFF/, '').trimStart()
  if (text === '') throw new SourceError('parse', `${subject} sent an empty answer`)
  if (text.startsWith('<')) {
    throw new SourceError('parse', `${subject} returned a web page, not a Bluesky answer`)
  }
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new SourceError('parse', `${subject} sent a broken answer (not complete JSON)`)
  }
}

function where(error: z.ZodError): string {
  const issue = error.issues[0]
  return `${issue?.path.join('.') || 'answer'}: ${issue?.message ?? 'not as expected'}`
}

function parsePost(raw: unknown, subject: string, index: number): BlueskyPost {
  const post = postViewSchema.safeParse(raw)
  if (!post.success) {
    throw new SourceError(
      'parse',
      `${subject} sent a post Earshot could not read (post ${index + 1}, ${where(post.error)})`,
    )
  }
  const { replyCount, repostCount, likeCount, ...rest } = post.data
  const stats = {
    ...countOf('replies', replyCount),
    ...countOf('likes', likeCount),
    ...countOf('reposts', repostCount),
  }
  return Object.keys(stats).length > 0 ? { ...rest, stats } : rest
}

function countOf(key: 'replies' | 'likes' | 'reposts', value: unknown): Record<string, number> {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? { [key]: value }
    : {}
}

const searchEnvelope = z.object({
  posts: z.array(z.unknown()),
  cursor: z.string().max(2000).optional().catch(undefined),
})

/** One `searchPosts` page. */
export function parseSearchPage(
  body: string,
  subject: string,
): { posts: BlueskyPost[]; cursor: string | null } {
  const json = readJson(body, subject)
  const envelope = searchEnvelope.safeParse(json)
  if (!envelope.success) {
    throw new SourceError(
      'parse',
      `${subject} sent an answer without its list of posts (${where(envelope.error)})`,
    )
  }
  const posts = envelope.data.posts.map((raw, index) => parsePost(raw, subject, index))
  return { posts, cursor: envelope.data.cursor || null }
}

const notificationEnvelope = z.object({
  notifications: z.array(z.unknown()),
  cursor: z.string().max(2000).optional().catch(undefined),
})

/**
 * One `listNotifications` page: the posts that mention, reply to or quote the brand (other
 * reasons, likes and follows, are dropped), each with the time it was indexed.
 */
export function parseNotificationPage(
  body: string,
  subject: string,
): { posts: BlueskyPost[]; oldestIndexedAt: string | null; cursor: string | null } {
  const json = readJson(body, subject)
  const envelope = notificationEnvelope.safeParse(json)
  if (!envelope.success) {
    throw new SourceError(
      'parse',
      `${subject} sent an answer without its list of notifications (${where(envelope.error)})`,
    )
  }
  const posts: BlueskyPost[] = []
  let oldest: string | null = null
  envelope.data.notifications.forEach((raw, index) => {
    const note = notificationSchema.safeParse(raw)
    const record = note.success ? postRecordSchema.safeParse(note.data.record) : null
    if (!note.success || (isAddressed(note.data.reason) && !record?.success)) {
      const error = note.success ? record?.error : note.error
      throw new SourceError(
        'parse',
        `${subject} sent a notification Earshot could not read (notification ${index + 1}, ${
          error ? where(error) : 'not as expected'
        })`,
      )
    }
    const at = epoch(note.data.indexedAt)
    if (at !== null && (oldest === null || at < (epoch(oldest) ?? Infinity))) {
      oldest = note.data.indexedAt
    }
    if (!isAddressed(note.data.reason) || !record?.success) return
    const { uri, cid: postCid, author, indexedAt } = note.data
    posts.push({ uri, cid: postCid, author, record: record.data, indexedAt })
  })
  return { posts, oldestIndexedAt: oldest, cursor: envelope.data.cursor || null }
}

function isAddressed(reason: string): boolean {
  return (ADDRESSED_REASONS as readonly string[]).includes(reason)
}

/** Epoch ms of a full ISO datetime, or null; a bare date or garbage is never guessed at. */
export function epoch(value: string): number | null {
  if (!/^\s*\d{4}-\d{2}-\d{2}T/.test(value)) return null
  const at = Date.parse(value)
  return Number.isFinite(at) && at > 0 ? at : null
}

/** The record key, the last part of an at:// address. */
export const rkeyOf = (uri: string): string => uri.slice(uri.lastIndexOf('/') + 1)

export const mentionIdOf = (uri: string): string => `bluesky:${uri}`

/** The at:// address of a stored mention: its platform reference, else its id. */
export function uriOfMention(mention: HeardMention): string | null {
  const fromRef = mention.platformRef?.['uri']
  const candidate = fromRef ?? (mention.id.startsWith('bluesky:') ? mention.id.slice(8) : '')
  return atUriSchema.safeParse(candidate).success ? candidate : null
}

/** The name Bluesky links by: the handle, or the DID when the handle no longer resolves. */
function linkName(author: BlueskyPost['author']): string {
  return author.handle === 'handle.invalid' || !/^[\w.-]+$/.test(author.handle)
    ? author.did
    : author.handle
}

export function postUrl(author: BlueskyPost['author'], uri: string): string {
  return `${BSKY_APP}/profile/${linkName(author)}/post/${rkeyOf(uri)}`
}

/** One post as a mention; `addressed` when the brand's notifications carried it. */
export function postToMention(
  post: BlueskyPost,
  sourceId: string,
  fetchedAt: number,
  addressed = false,
): HeardMention {
  const { author, record } = post
  const claimed = epoch(record.createdAt)
  const root = record.reply?.root ?? { uri: post.uri, cid: post.cid }
  const name = (author.displayName ?? '').trim() || author.handle
  return {
    id: mentionIdOf(post.uri),
    sourceId,
    platform: 'bluesky',
    url: postUrl(author, post.uri),
    author: {
      id: `bluesky:${author.did}`,
      name: truncate(name, 300),
      handle: truncate(`@${author.handle}`, 300),
      url: `${BSKY_APP}/profile/${linkName(author)}`,
    },
    text: truncate(record.text, TEXT_MAX),
    createdAt: claimed !== null && claimed <= fetchedAt ? claimed : fetchedAt,
    fetchedAt,
    ...(addressed ? { addressed: true } : {}),
    ...(record.reply
      ? { replyTo: mentionIdOf(record.reply.parent.uri), threadId: mentionIdOf(root.uri) }
      : { threadId: mentionIdOf(post.uri) }),
    platformRef: { uri: post.uri, cid: post.cid, rootUri: root.uri, rootCid: root.cid },
    ...(post.stats ? { stats: post.stats } : {}),
  }
}

/**
 * A `getPostThread` answer as its posts, oldest first: the ancestors, the post, the replies.
 * Deleted (`notFound`) and blocked nodes are skipped; at most `MAX_THREAD_POSTS` posts are read.
 */
export function parseThread(body: string, subject: string): BlueskyPost[] {
  const json = readJson(body, subject)
  if (typeof json !== 'object' || json === null || !('thread' in json)) {
    throw new SourceError('parse', `${subject} sent an answer without a thread`)
  }
  const byUri = new Map<string, BlueskyPost>()
  // An explicit stack, not recursion: a hostile answer may nest a thousand levels deep.
  const stack: unknown[] = [json.thread]
  const visited = new Set<unknown>()
  let steps = 0
  while (stack.length > 0 && byUri.size < MAX_THREAD_POSTS && steps++ < MAX_THREAD_POSTS * 4) {
    const node = stack.pop()
    if (typeof node !== 'object' || node === null || visited.has(node)) continue
    visited.add(node)
    if ('notFound' in node || 'blocked' in node || !('post' in node)) continue
    const post = parsePost(node.post, subject, byUri.size)
    byUri.set(post.uri, post)
    if ('parent' in node) stack.push(node.parent)
    if ('replies' in node && Array.isArray(node.replies)) stack.push(...(node.replies as unknown[]))
  }
  return [...byUri.values()].sort(
    (a, b) =>
      (epoch(a.record.createdAt) ?? 0) - (epoch(b.record.createdAt) ?? 0) ||
      a.uri.localeCompare(b.uri),
  )
}

const sessionSchema = z.object({
  accessJwt: z.string().min(1).max(10_000),
  refreshJwt: z.string().min(1).max(10_000),
  did,
  handle: handle.optional(),
  didDoc: z.unknown().optional(),
})

export type SessionAnswer = {
  accessJwt: string
  refreshJwt: string
  did: string
  pds: string | null
}

/** `createSession` or `refreshSession`: the tokens, the DID and the PDS its DID document names. */
export function parseSession(body: string, subject: string): SessionAnswer {
  const json = readJson(body, subject)
  const session = sessionSchema.safeParse(json)
  if (!session.success) {
    throw new SourceError('parse', `${subject} sent a session Earshot could not read`)
  }
  const { accessJwt, refreshJwt, did: accountDid, didDoc } = session.data
  return { accessJwt, refreshJwt, did: accountDid, pds: pdsOf(didDoc) }
}

const didDocSchema = z.object({
  service: z.array(
    z.object({ id: z.string(), type: z.string().optional(), serviceEndpoint: z.unknown() }),
  ),
})

function pdsOf(didDoc: unknown): string | null {
  const doc = didDocSchema.safeParse(didDoc)
  if (!doc.success) return null
  const entry = doc.data.service.find(
    (s) => s.id === '#atproto_pds' || s.id.endsWith('#atproto_pds'),
  )
  const endpoint = entry?.serviceEndpoint
  if (typeof endpoint !== 'string' || endpoint.length > 2048) return null
  try {
    const url = new URL(endpoint)
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null
  } catch {
    return null
  }
}

const createdSchema = z.object({ uri: atUriSchema, cid })

/** `createRecord`'s answer: the new post's address. */
export function parseCreated(body: string, subject: string): { uri: string; cid: string } {
  const created = createdSchema.safeParse(readJson(body, subject))
  if (!created.success) {
    throw new SourceError(
      'parse',
      `${subject} posted the reply but sent an answer without its address`,
    )
  }
  return created.data
}

const existingSchema = z.object({
  uri: atUriSchema,
  value: z.object({ reply: z.object({ parent: z.object({ uri: z.string() }) }).optional() }),
})

/** `getRecord`'s answer: the record's address and the post it replies to, if any. */
export function parseExisting(
  body: string,
  subject: string,
): { uri: string; parentUri: string | null } {
  const existing = existingSchema.safeParse(readJson(body, subject))
  if (!existing.success)
    throw new SourceError('parse', `${subject} sent a record Earshot could not read`)
  return { uri: existing.data.uri, parentUri: existing.data.value.reply?.parent.uri ?? null }
}
