import type { HeardMention, SourceConfig, SourceKind } from '../../shared/domain'
import type { HttpClient } from './http'

/** A connector's own memory between polls (validators, seen ids, watermarks). JSON only. */
export type SourceCursor = Record<string, unknown>

export type PollContext = {
  http: HttpClient
  now: () => number
  signal?: AbortSignal
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
}

/** Why a poll failed, in terms the scheduler acts on and words the responder can read. */
export type SourceErrorKind =
  'network' | 'timeout' | 'http' | 'rate-limited' | 'too-large' | 'parse' | 'auth' | 'config'

export class SourceError extends Error {
  override readonly name = 'SourceError'
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
    readonly details: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message)
  }
}

export type Connector<C extends SourceConfig = SourceConfig> = {
  kind: SourceKind
  /** A fixed pace for this kind that overrides the configured interval (the demo replay). */
  pollEveryMs?: number
  /** Fetches what is new since `cursor`. Throws only `SourceError`. */
  poll(config: C, cursor: SourceCursor | undefined, ctx: PollContext): Promise<PollResult>
}
