import type { HeardMention, SourceConfig, SourceKind } from '../../shared/domain'
import type { HttpClient } from './http'
import type { ParsePool } from './parse-pool'

/** A connector's own memory between polls (validators, seen ids, watermarks). JSON only. */
export type SourceCursor = Record<string, unknown>

/**
 * A source's secrets as main's credential store keeps them: what the responder typed (an app
 * password, a token) plus what a connector derives from them (a session, an access token).
 * Never logged, never in a cursor, never sent to the renderer.
 */
export type SecretAccess = {
  /** The stored secrets, or null when none are set (or they could not be decrypted). */
  get(): Readonly<Record<string, string>> | null
  /** Merges derived secrets (a refreshed session) into the store; `null` values remove keys. */
  update(patch: Readonly<Record<string, string | null>>): Promise<void>
}

export type PollContext = {
  http: HttpClient
  now: () => number
  signal?: AbortSignal
  /** Present for sources whose kind needs credentials. */
  secrets?: SecretAccess
  /** Where untrusted answers are parsed off the main thread; the process's shared pool if absent. */
  parser?: ParsePool
}

export type PollResult = {
  /** New or re-seen mentions, oldest first; storage is idempotent, so overlap is harmless. */
  mentions: HeardMention[]
  /** The cursor to persist once these mentions are in the journal. */
  cursor: SourceCursor
  /** The source said nothing changed (HTTP 304). */
  notModified: boolean
  /** The source asked for a longer pause (e.g. a feed's `ttl`), in milliseconds. */
  minDelayMs?: number
  /** The source moved permanently (301/308 only); the caller may store this address instead. */
  movedTo?: string
  /**
   * A plain-words remark on the source's health that is not a failure (part of it was refused while
   * the rest works), shown with its health; `null` clears an earlier one, absent leaves it alone.
   */
  note?: string | null
}

/** Why a poll failed, in terms the scheduler acts on and words the responder can read. */
export type SourceErrorKind =
  'network' | 'timeout' | 'http' | 'rate-limited' | 'too-large' | 'parse' | 'auth' | 'config'

export class SourceError extends Error {
  override readonly name = 'SourceError'
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
    readonly details: {
      status?: number
      retryAfterMs?: number
      /**
       * True when the request never left this machine (no address, connection refused, no
       * handshake): the platform cannot have acted on it, so a reply may be sent again safely.
       */
      neverSent?: boolean
    } = {},
  ) {
    super(message)
  }
}

/** The connector for a kind, or a config error naming what this version cannot read. */
export function connectorFor(
  connectors: Partial<Record<SourceKind, Connector>>,
  kind: SourceKind,
): Connector {
  const connector = connectors[kind]
  if (!connector)
    throw new SourceError('config', `This version of Earshot cannot read ${kind} sources`)
  return connector
}

/** A reply to post on the platform, on the responder's behalf. */
export type ReplyRequest = {
  /** The mention answered, as stored (its id carries the platform's own id or URI). */
  target: HeardMention
  text: string
  /** Stored with the reply intent before sending; sent as the platform's idempotency key. */
  idempotencyKey: string
}

export type ReplyResult = {
  /** The platform's id or URI of the posted reply, and its link when there is one. */
  remoteId: string
  url: string | null
}

/** Where a live connection hands what it hears (see `Connector.stream`). */
export type StreamSink = {
  /**
   * New mentions, normalised as a poll's, with the cursor advanced past them so a later poll does
   * not fetch them again; store it like a poll's result. Awaited: deliveries never overlap.
   */
  deliver(result: PollResult): void | Promise<void>
  /**
   * `streaming`: connected, subscribed and caught up (polling may stand by); `lost`: not
   * connected, in plain words why (polling must carry on meanwhile). Repeats are possible.
   */
  state(state: 'streaming' | 'lost', reason?: string): void
}

/** A poll's context plus the source's latest stored cursor, read at each delivery. */
export type StreamContext = PollContext & { cursor(): SourceCursor | undefined }

/** An open live connection; `close` ends it and every reconnect attempt, quietly. */
export type StreamHandle = { close(): void }

export type Connector<C extends SourceConfig = SourceConfig> = {
  kind: SourceKind
  /** A fixed pace for this kind that overrides the configured interval (the demo replay). */
  pollEveryMs?: number
  /** Fetches what is new since `cursor`. Throws only `SourceError`. */
  poll(config: C, cursor: SourceCursor | undefined, ctx: PollContext): Promise<PollResult>
  /**
   * The conversation around a mention as the platform has it (ancestors, then the mention, then
   * replies), oldest first. Absent for kinds with no thread to fetch. Throws only `SourceError`.
   */
  thread?(config: C, target: HeardMention, ctx: PollContext): Promise<HeardMention[]>
  /**
   * Posts a reply. Absent where the platform has no write API (the composer then offers copy and
   * open). Throws only `SourceError`; `timeout` means the outcome is unknown, never retry blindly.
   */
  reply?(config: C, request: ReplyRequest, ctx: PollContext): Promise<ReplyResult>
  /**
   * Opens a live connection that pushes new posts as they happen (additive to polling; absent
   * for kinds without one). Never throws: failures arrive as `sink.state('lost', reason)`, with
   * bounded reconnects; the caller keeps polling while the stream is lost.
   */
  stream?(config: C, ctx: StreamContext, sink: StreamSink): StreamHandle
}
