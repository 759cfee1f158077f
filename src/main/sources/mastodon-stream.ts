/* Mastodon's live stream over one WebSocket: `hashtag` per configured tag and `user:notification`
   for mentions, frames validated and never trusted, a heartbeat, bounded reconnects with
   jittered backoff, and a catch-up poll on every connect so the cursor can follow the stream
   without skipping what arrived while it was down. */
import type { Agent } from 'node:http'
import WebSocket from 'ws'
import { z } from 'zod'
import { mastodonHashtagSchema } from '../../shared/domain'
import type { PollResult, SourceCursor, StreamContext, StreamHandle, StreamSink } from './connector'
import { SourceError } from './connector'
import type { MastodonConfig, MastodonCursor, StreamEvent } from './mastodon-parse'
import {
  accessToken,
  compareIds,
  parseStreamFrame,
  readMastodonCursor,
  statusesToMentions,
  subjectFor,
} from './mastodon-parse'

export type StreamTuning = {
  /** A ping this often; two of these in a row with nothing heard mean the connection is dead. */
  heartbeatMs: number
  /** The first reconnect waits up to this long (full jitter), doubling per failure. */
  reconnectBaseMs: number
  reconnectMaxMs: number
  /** Failed connections in a row before giving up (polling carries on). */
  maxAttempts: number
  /** The WebSocket handshake's deadline. */
  connectTimeoutMs: number
  /** Frames above this are refused and the connection is reopened. */
  maxFrameBytes: number
  random: () => number
}

export const DEFAULT_STREAM_TUNING: StreamTuning = {
  heartbeatMs: 30_000,
  reconnectBaseMs: 2_000,
  reconnectMaxMs: 5 * 60_000,
  maxAttempts: 8,
  connectTimeoutMs: 15_000,
  maxFrameBytes: 1024 * 1024,
  random: Math.random,
}

export const STREAM_NEEDS_TOKEN =
  "Live updates need the brand account's access token; checks continue by polling"

/** What a (re)connect's catch-up poll returns: see `pollMastodon`. */
type CatchUp = (
  cursor: SourceCursor | undefined,
) => Promise<{ result: PollResult; caughtUp: Set<string> }>

const instanceSchema = z.object({
  configuration: z.object({ urls: z.object({ streaming: z.string().max(2048) }) }).optional(),
  urls: z.object({ streaming_api: z.string().max(2048) }).optional(),
})

/**
 * Where to open the stream: the instance's advertised streaming URL (`/api/v2/instance`
 * `configuration.urls.streaming`, else `/api/v1/instance` `urls.streaming_api`) when it is on the
 * instance's host or a subdomain of it, never a downgrade from https; otherwise the instance's
 * own `/api/v1/streaming`. The token is only ever sent there.
 */
export async function streamingUrl(config: MastodonConfig, ctx: StreamContext): Promise<string> {
  const instance = new URL(config.instance)
  const secure = instance.protocol === 'https:'
  const fallback = `${secure ? 'wss' : 'ws'}://${instance.host}/api/v1/streaming`
  for (const path of ['/api/v2/instance', '/api/v1/instance']) {
    try {
      const response = await ctx.http.get(`${instance.origin}${path}`, {
        headers: { accept: 'application/json' },
        subject: subjectFor(config),
        ...(ctx.signal ? { signal: ctx.signal } : {}),
      })
      const parsed = instanceSchema.safeParse(JSON.parse(response.body))
      if (!parsed.success) continue
      const advertised =
        parsed.data.configuration?.urls.streaming ?? parsed.data.urls?.streaming_api
      if (!advertised) continue
      const url = new URL(advertised)
      const sameSite =
        url.hostname === instance.hostname || url.hostname.endsWith(`.${instance.hostname}`)
      const scheme = url.protocol === 'wss:' || (!secure && url.protocol === 'ws:')
      return sameSite && scheme ? `${url.protocol}//${url.host}/api/v1/streaming` : fallback
    } catch {
      // An instance without the endpoint (or an odd answer) is streamed at its own address.
    }
  }
  return fallback
}

/** Raises every id in `a` to the higher of `a` and `b`: a cursor only ever moves forward. */
export function mergeCursors(a: MastodonCursor, b: MastodonCursor): MastodonCursor {
  const higher = (x?: string, y?: string) =>
    x === undefined ? y : y === undefined ? x : compareIds(x, y) >= 0 ? x : y
  const merge = (x: Record<string, string> = {}, y: Record<string, string> = {}) => {
    const out: Record<string, string> = { ...x }
    for (const [key, id] of Object.entries(y)) out[key] = higher(out[key], id) ?? id
    return out
  }
  const out: MastodonCursor = { minIds: merge(a.minIds, b.minIds) }
  if (a.searchMinIds || b.searchMinIds) out.searchMinIds = merge(a.searchMinIds, b.searchMinIds)
  const notes = higher(a.notificationsMinId, b.notificationsMinId)
  if (notes !== undefined) out.notificationsMinId = notes
  return out
}

/**
 * Opens the stream. Never throws and never lets a frame, a failed delivery or a dropped
 * connection escape: everything is reported through `sink.state`.
 */
export function openMastodonStream(
  config: MastodonConfig,
  ctx: StreamContext,
  sink: StreamSink,
  deps: { poll: CatchUp; tuning?: Partial<StreamTuning> },
): StreamHandle {
  const tuning: StreamTuning = { ...DEFAULT_STREAM_TUNING, ...deps.tuning }
  const subject = subjectFor(config)
  const host = new URL(config.instance).hostname
  const origin = new URL(config.instance).origin
  const tags = [...new Set(config.hashtags.map((tag) => tag.toLowerCase()))].filter(
    (tag) => mastodonHashtagSchema.safeParse(tag).success,
  )
  const report = (state: 'streaming' | 'lost', reason?: string) => {
    if (closed) return
    try {
      sink.state(state, reason)
    } catch {
      // The sink's trouble is not the stream's: keep going.
    }
  }
  let closed = false
  const token = accessToken(ctx)
  if (token === null) {
    report('lost', STREAM_NEEDS_TOKEN)
    return { close: () => undefined }
  }

  let socket: WebSocket | null = null
  let attempts = 0
  let retryTimer: ReturnType<typeof setTimeout> | null = null
  let heartbeat: ReturnType<typeof setInterval> | null = null
  let url: string | null = null
  // Deliveries run one at a time, in arrival order, each reading the latest cursor.
  let queue: Promise<void> = Promise.resolve()
  let local: MastodonCursor = readMastodonCursor(ctx.cursor())
  // Feeds whose cursor may follow the stream: caught up by this connection's catch-up poll.
  let following = new Set<string>()

  const enqueue = (work: () => Promise<void>) => {
    queue = queue.then(work).catch(() => undefined)
  }

  /** Hands a result to the sink; false when it was not taken (so its cursor must not count). */
  const deliver = async (result: PollResult): Promise<boolean> => {
    if (closed) return false
    try {
      await sink.deliver(result)
      local = mergeCursors(local, readMastodonCursor(result.cursor))
      return true
    } catch {
      // Not stored, so the cursor stays put and the next poll fetches these again.
      return false
    }
  }

  const handle = (event: StreamEvent) => {
    if (event.kind !== 'update' && event.kind !== 'mention') return
    let feed: string
    if (event.kind === 'update') {
      const [channel, tag] = event.stream
      if (channel !== 'hashtag' || !tag || !tags.includes(tag.toLowerCase())) return
      feed = `tag:${tag.toLowerCase()}`
    } else {
      feed = 'notifications'
    }
    enqueue(async () => {
      const cursor = mergeCursors(local, readMastodonCursor(ctx.cursor()))
      if (following.has(feed)) {
        if (event.kind === 'update') {
          const tag = feed.slice(4)
          const mark = cursor.minIds[tag]
          if (mark === undefined || compareIds(event.status.id, mark) > 0) {
            cursor.minIds[tag] = event.status.id
          }
        } else if (
          cursor.notificationsMinId === undefined ||
          compareIds(event.id, cursor.notificationsMinId) > 0
        ) {
          cursor.notificationsMinId = event.id
        }
      }
      const mentions = statusesToMentions(
        [{ status: event.status, ...(event.kind === 'mention' ? { addressed: true } : {}) }],
        config.id,
        host,
        origin,
        ctx.now(),
      )
      await deliver({ mentions, cursor, notModified: false })
    })
  }

  const stopHeartbeat = () => {
    if (heartbeat !== null) clearInterval(heartbeat)
    heartbeat = null
  }

  const scheduleReconnect = (reason: string) => {
    if (closed) return
    attempts++
    if (attempts > tuning.maxAttempts) {
      report('lost', `${reason}; stopped reconnecting after ${tuning.maxAttempts} tries`)
      return
    }
    report('lost', reason)
    const ceiling = Math.min(tuning.reconnectMaxMs, tuning.reconnectBaseMs * 2 ** (attempts - 1))
    // Full jitter, with a floor so a failing server is never hammered in a tight loop.
    const delay = Math.max(tuning.reconnectBaseMs / 4, Math.round(tuning.random() * ceiling))
    retryTimer = setTimeout(() => {
      retryTimer = null
      void connect().catch(() => scheduleReconnect(`Could not open ${subject}'s live stream`))
    }, delay)
  }

  const giveUp = (reason: string) => {
    report('lost', reason)
    closed = true
    cleanup()
  }

  const cleanup = () => {
    stopHeartbeat()
    if (retryTimer !== null) clearTimeout(retryTimer)
    retryTimer = null
    const open = socket
    socket = null
    open?.removeAllListeners('message')
    try {
      open?.terminate()
    } catch {
      // Already gone.
    }
  }

  async function connect(): Promise<void> {
    if (closed) return
    url ??= await streamingUrl(config, ctx)
    if (closed) return
    // Through the proxy's tunnel when the proxy settings name one for this address.
    let agent: Agent | undefined
    try {
      agent = await ctx.http.agentFor?.(url)
    } catch (cause) {
      const words = cause instanceof SourceError ? `: ${cause.message}` : ''
      scheduleReconnect(
        `Could not open ${subject}'s live stream${words}; checks continue by polling`,
      )
      return
    }
    if (closed) return
    let ws: WebSocket
    try {
      ws = new WebSocket(url, {
        ...(agent ? { agent } : {}),
        headers: { authorization: `Bearer ${token}` },
        handshakeTimeout: tuning.connectTimeoutMs,
        maxPayload: tuning.maxFrameBytes,
        followRedirects: false,
      })
    } catch {
      scheduleReconnect(`${subject}'s streaming address is not valid`)
      return
    }
    socket = ws
    let openedAt: number | null = null
    // Ticks in a row with nothing heard (no frame, ping or pong): counted per tick, not by the
    // clock, so a busy event loop that fires a tick late is not taken for a dead server.
    let silentTicks = 0
    let heardSinceTick = true
    let refused: number | null = null
    let proxyWords: string | null = null
    // Frames that arrive before the catch-up poll is stored wait, so the cursor never jumps it.
    let buffered: StreamEvent[] | null = []
    const heard = () => {
      heardSinceTick = true
    }

    ws.on('message', (data, isBinary) => {
      heard()
      if (isBinary) return
      try {
        const text = Array.isArray(data)
          ? Buffer.concat(data).toString('utf8')
          : Buffer.isBuffer(data)
            ? data.toString('utf8')
            : Buffer.from(data).toString('utf8')
        const event = parseStreamFrame(text)
        if (buffered) buffered.push(event)
        else handle(event)
      } catch {
        // An unreadable frame is dropped; the stream goes on.
      }
    })
    ws.on('pong', heard)
    ws.on('ping', heard)
    ws.on('error', (error: Error & { code?: unknown }) => {
      const status = /Unexpected server response: (\d{3})/.exec(error.message)?.[1]
      if (status) refused = Number(status)
      // The proxy's own words (unreachable, refused): they say what to fix.
      if (typeof error.code === 'string' && error.code.startsWith('EPROXY'))
        proxyWords = error.message
    })
    ws.on('open', () => {
      if (ws !== socket) return
      openedAt = Date.now()
      for (const tag of tags) ws.send(JSON.stringify({ type: 'subscribe', stream: 'hashtag', tag }))
      ws.send(JSON.stringify({ type: 'subscribe', stream: 'user:notification' }))
      heartbeat = setInterval(() => {
        silentTicks = heardSinceTick ? 0 : silentTicks + 1
        heardSinceTick = false
        if (silentTicks >= 2) {
          ws.terminate()
          return
        }
        try {
          ws.ping()
        } catch {
          // Closing already; the close handler reports it.
        }
      }, tuning.heartbeatMs)
      enqueue(async () => {
        try {
          const { result, caughtUp } = await deps.poll(
            mergeCursors(local, readMastodonCursor(ctx.cursor())),
          )
          // Only a stored catch-up lets streamed ids move the cursor past what it brought.
          following = (await deliver(result)) ? caughtUp : new Set()
        } catch (cause) {
          if (cause instanceof SourceError && cause.kind === 'auth') {
            giveUp(cause.message)
            return
          }
          // Streamed posts still arrive; only the cursor waits for the next poll to catch up.
          following = new Set()
        }
        if (ws !== socket) return
        const waiting = buffered ?? []
        buffered = null
        for (const event of waiting) handle(event)
        report('streaming')
      })
    })
    ws.on('close', (code) => {
      if (ws !== socket) return
      socket = null
      stopHeartbeat()
      following = new Set()
      if (closed) return
      if (refused === 401 || refused === 403) {
        giveUp(
          `${subject} refused the access token for live updates (${refused}); checks continue by polling`,
        )
        return
      }
      // A connection that lasted resets the count: only failures in a row are bounded.
      if (openedAt !== null && Date.now() - openedAt >= tuning.heartbeatMs) attempts = 0
      const why =
        openedAt === null
          ? `Could not open ${subject}'s live stream${refused ? ` (${refused})` : ''}${proxyWords ? `: ${proxyWords}` : ''}`
          : `${subject}'s live stream was cut off${code === 1009 ? ' (a message was too large)' : ''}`
      scheduleReconnect(`${why}; checks continue by polling`)
    })
  }

  void connect().catch(() => scheduleReconnect(`Could not open ${subject}'s live stream`))
  const onAbort = () => close()
  ctx.signal?.addEventListener('abort', onAbort, { once: true })

  function close(): void {
    if (closed) return
    closed = true
    ctx.signal?.removeEventListener('abort', onAbort)
    cleanup()
  }
  return { close }
}
