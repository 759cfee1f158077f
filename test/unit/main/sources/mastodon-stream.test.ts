import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mentionSchema } from '../../../../src/shared/domain'
import type {
  PollResult,
  SourceCursor,
  StreamContext,
  StreamHandle,
} from '../../../../src/main/sources/connector'
import { createHttpClient, userAgent } from '../../../../src/main/sources/http'
import { createMastodonConnector } from '../../../../src/main/sources/mastodon'
import { STREAM_NEEDS_TOKEN } from '../../../../src/main/sources/mastodon-stream'
import { memorySecrets } from '../../../../src/main/sources/memory-secrets'
import { envProxy } from '../../../../src/main/sources/proxy'
import { startProxy } from '../../../fixtures/proxy-server'
import type { MastodonConfig, MastodonServer } from '../../../fixtures/mastodon-server'
import {
  mastodonSource,
  account,
  BRAND_TOKEN,
  INSTANCE_HOST,
  mentionNotification,
  startMastodonServer,
  status,
} from '../../../fixtures/mastodon-server'

const heardSchema = mentionSchema.omit({ triage: true })
const NOW = Date.parse('2026-10-01T12:00:00Z')
const http = createHttpClient({ userAgent: userAgent('0.1.0-test'), timeoutMs: 5_000 })
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString()
const uri = (id: string, user = 'carol') =>
  `mastodon:https://${INSTANCE_HOST}/users/${user}/statuses/${id}`

// A slow heartbeat, so a busy test machine never looks like a dead server (one test shortens it).
const tuning = {
  heartbeatMs: 2_000,
  reconnectBaseMs: 20,
  reconnectMaxMs: 100,
  maxAttempts: 3,
  random: () => 0.5,
}
const connector = createMastodonConnector(() => null, { stream: tuning })

let server: MastodonServer
let handle: StreamHandle | null = null
beforeEach(async () => {
  server = await startMastodonServer()
})
afterEach(async () => {
  handle?.close()
  handle = null
  await server.close()
})

const source = (extra: Partial<MastodonConfig> = {}) => mastodonSource(server.origin, extra)

type Seen =
  { kind: 'deliver'; result: PollResult } | { kind: 'state'; state: string; reason?: string }

/** A sink that stores cursors like the core does and lets a test wait for what it expects. */
function recorder(token: string | null = BRAND_TOKEN) {
  const seen: Seen[] = []
  let stored: SourceCursor | undefined
  const waiters: { test: (s: Seen) => boolean; resolve: (s: Seen) => void }[] = []
  const push = (entry: Seen) => {
    seen.push(entry)
    for (const waiter of [...waiters]) {
      if (!waiter.test(entry)) continue
      waiters.splice(waiters.indexOf(waiter), 1)
      waiter.resolve(entry)
    }
  }
  const ctx: StreamContext = {
    http,
    now: () => NOW,
    cursor: () => stored,
    ...(token === null ? {} : { secrets: memorySecrets({ accessToken: token }) }),
  }
  return {
    seen,
    ctx,
    cursor: () => stored,
    sink: {
      deliver: (result: PollResult) => {
        stored = result.cursor
        push({ kind: 'deliver', result })
      },
      state: (state: 'streaming' | 'lost', reason?: string) =>
        push({ kind: 'state', state, ...(reason ? { reason } : {}) }),
    },
    /** The next entry after now that passes `test`. */
    next: (test: (s: Seen) => boolean) =>
      new Promise<Seen>((resolve) => waiters.push({ test, resolve })),
    states: () => seen.flatMap((s) => (s.kind === 'state' ? [s.state] : [])),
  }
}

const isState = (state: string) => (s: Seen) => s.kind === 'state' && s.state === state
const delivering = (id: string) => (s: Seen) =>
  s.kind === 'deliver' && s.result.mentions.some((m) => m.id === id)

/**
 * The source at a name only the office proxy knows (it stands for the fixture's loopback port),
 * with an HTTP client that takes its proxy from `env`.
 */
function throughOffice(
  env: Record<string, string>,
  ctx: StreamContext,
): [MastodonConfig, StreamContext] {
  const http = createHttpClient({
    userAgent: userAgent('0.1.0-test'),
    timeoutMs: 5_000,
    proxy: envProxy(env),
  })
  const instance = server.origin.replace('127.0.0.1', 'mastodon.acme.test')
  return [source({ instance }), { ...ctx, http }]
}

describe('Mastodon streaming', () => {
  it('catches up by polling, then delivers pushed statuses and mentions with the cursor advanced', async () => {
    server.statuses.push(status('113200000000000001', at(10), 'Acme before', ['acme']))
    const rec = recorder()
    const streaming = rec.next(isState('streaming'))
    handle = connector.stream!(source(), rec.ctx, rec.sink)
    await streaming
    // The catch-up poll came first and set the cursor.
    expect(rec.seen[0]).toMatchObject({ kind: 'deliver' })
    expect(rec.cursor()).toMatchObject({ minIds: { acme: '113200000000000001' } })
    const client = await server.subscribed('hashtag:acme')
    await server.subscribed('user:notification')
    // The token travels in the Authorization header, never in the URL.
    expect(client.via).toBe('header')
    expect(
      server.requests.find((r) => r.path === '/api/v1/streaming')?.params.has('access_token'),
    ).toBe(false)

    const live = status('113200000000000002', at(1), 'Acme is down right now', ['acme'])
    const heardLive = rec.next(delivering(uri(live.id)))
    expect(server.pushUpdate('acme', live)).toBe(1)
    const delivered = (await heardLive) as Extract<Seen, { kind: 'deliver' }>
    expect(delivered.result.mentions).toHaveLength(1)
    expect(heardSchema.safeParse(delivered.result.mentions[0]).success).toBe(true)
    expect(delivered.result.cursor).toMatchObject({ minIds: { acme: live.id } })

    const note = status('113200000000000003', at(1), '@acme refund please', [], {
      account: account('dave'),
    })
    const heardNote = rec.next(delivering(uri(note.id, 'dave')))
    server.pushNotification(mentionNotification('900', note))
    const mention = (await heardNote) as Extract<Seen, { kind: 'deliver' }>
    expect(mention.result.mentions[0]?.addressed).toBe(true)
    expect(mention.result.cursor).toMatchObject({
      minIds: { acme: live.id },
      notificationsMinId: '900',
    })

    // A later poll from the stored cursor fetches neither again.
    server.statuses.push(live, note)
    server.notifications.push(mentionNotification('900', note))
    const poll = await connector.poll(source(), rec.cursor(), rec.ctx)
    expect(poll.mentions).toEqual([])
  })

  it('survives malformed frames and events it does not use', async () => {
    const rec = recorder()
    const streaming = rec.next(isState('streaming'))
    handle = connector.stream!(source(), rec.ctx, rec.sink)
    await streaming
    await server.subscribed('hashtag:acme')
    const junk = [
      'not json',
      '{"error":"Unknown stream type","status":400}',
      '{"stream":["hashtag","acme"],"event":"update"}',
      '{"stream":["hashtag","acme"],"event":"update","payload":"{broken"}',
      '{"stream":["hashtag","acme"],"event":"update","payload":"{\\"id\\":1}"}',
      '{"stream":["hashtag","acme"],"event":"update","payload":"null"}',
      '{"stream":["user"],"event":"delete","payload":"106692867363994015"}',
      '{"stream":["user"],"event":"filters_changed"}',
      '{"stream":["user:notification"],"event":"notification","payload":"{\\"id\\":\\"1\\",\\"type\\":\\"follow\\"}"}',
      JSON.stringify({ event: 'update', payload: 'x'.repeat(2000), stream: 'nope' }),
      '[]',
      '"update"',
    ]
    for (const frame of junk) server.pushRaw(frame)
    // A status on a tag this source does not follow is not heard either.
    server.pushRaw(
      JSON.stringify({
        stream: ['hashtag', 'other'],
        event: 'update',
        payload: JSON.stringify(status('113200000000000008', at(1), 'other', ['other'])),
      }),
    )
    const good = status('113200000000000009', at(1), 'Acme still fine', ['acme'])
    const heard = rec.next(delivering(uri(good.id)))
    server.pushUpdate('acme', good)
    await heard
    const delivered = rec.seen.flatMap((s) => (s.kind === 'deliver' ? s.result.mentions : []))
    expect(delivered.map((m) => m.id)).toEqual([uri(good.id)])
    expect(rec.states()).toEqual(['streaming'])
  })

  it('reports a dropped connection as lost, reconnects, and catches up on what it missed', async () => {
    const rec = recorder()
    const streaming = rec.next(isState('streaming'))
    handle = connector.stream!(source(), rec.ctx, rec.sink)
    await streaming
    await server.subscribed('hashtag:acme')

    const lost = rec.next(isState('lost'))
    const back = rec.next(isState('streaming'))
    server.dropStreams()
    const reason = (await lost) as Extract<Seen, { kind: 'state' }>
    expect(reason.reason).toMatch(/cut off; checks continue by polling/)
    // Posted while the stream was down: the reconnect's catch-up poll hears it.
    const missed = status('113200000000000010', at(2), 'Acme missed', ['acme'])
    server.statuses.push(missed)
    const caughtUp = rec.next(delivering(uri(missed.id)))
    await back
    await caughtUp
    await server.subscribed('hashtag:acme')
    const live = status('113200000000000011', at(1), 'Acme after', ['acme'])
    const heard = rec.next(delivering(uri(live.id)))
    server.pushUpdate('acme', live)
    await heard
    expect(rec.cursor()).toMatchObject({ minIds: { acme: live.id } })
  })

  it('notices a silent connection through its heartbeat', async () => {
    const quick = createMastodonConnector(() => null, { stream: { ...tuning, heartbeatMs: 50 } })
    const rec = recorder()
    const streaming = rec.next(isState('streaming'))
    handle = quick.stream!(source(), rec.ctx, rec.sink)
    await streaming
    const lost = rec.next(isState('lost'))
    const back = rec.next(isState('streaming'))
    server.freezeStreams()
    await lost
    await back
  })

  it("streams through the office's proxy: catch-up forwarded, the stream tunnelled", async () => {
    const office = await startProxy()
    try {
      const rec = recorder()
      const streaming = rec.next(isState('streaming'))
      handle = connector.stream!(...throughOffice({ http_proxy: office.origin }, rec.ctx), rec.sink)
      await streaming
      await server.subscribed('hashtag:acme')
      const host = `mastodon.acme.test:${new URL(server.origin).port}`
      expect(office.log.requests).toContain(`CONNECT ${host}`)
      expect(office.log.requests.some((r) => r.startsWith(`GET http://${host}/api/v1/`))).toBe(true)
      const live = status('113200000000000002', at(1), 'Acme is down right now', ['acme'])
      const heard = rec.next(delivering(uri(live.id)))
      server.pushUpdate('acme', live)
      await heard
    } finally {
      handle?.close()
      handle = null
      await office.close()
    }
  })

  it("says the proxy's own words when it will not carry the stream", async () => {
    const office = await startProxy({ refuseConnect: 403 })
    try {
      const rec = recorder()
      const lost = rec.next(isState('lost'))
      handle = connector.stream!(...throughOffice({ http_proxy: office.origin }, rec.ctx), rec.sink)
      const entry = (await lost) as Extract<Seen, { kind: 'state' }>
      expect(entry.reason).toMatch(/^Could not open .*'s live stream: The proxy/)
      expect(entry.reason).toContain(
        `: The proxy at ${office.hostPort} would not connect to mastodon.acme.test:${new URL(server.origin).port} (403 Forbidden); checks continue by polling`,
      )
    } finally {
      handle?.close()
      handle = null
      await office.close()
    }
  })

  it('says so when the proxy setting is one Earshot cannot use, and keeps polling', async () => {
    const rec = recorder()
    const lost = rec.next(isState('lost'))
    const [config, ctx] = throughOffice({ all_proxy: 'socks5://127.0.0.1:1080' }, rec.ctx)
    handle = connector.stream!(config, ctx, rec.sink)
    const entry = (await lost) as Extract<Seen, { kind: 'state' }>
    expect(entry.reason).toMatch(/^Could not open .*'s live stream: The proxy set in all_proxy/)
    expect(entry.reason).toContain('is a SOCKS5 proxy')
    expect(entry.reason).toMatch(/; checks continue by polling$/)
  })

  it('stops on close(): no more deliveries, states or reconnects', async () => {
    const rec = recorder()
    const streaming = rec.next(isState('streaming'))
    handle = connector.stream!(source(), rec.ctx, rec.sink)
    await streaming
    const client = await server.subscribed('hashtag:acme')
    const closed = new Promise((resolve) => client.socket.once('close', resolve))
    const before = rec.seen.length
    handle.close()
    await closed
    expect(server.clients).toHaveLength(0)
    expect(server.pushUpdate('acme', status('113200000000000012', at(1), 'Acme', ['acme']))).toBe(0)
    expect(rec.seen).toHaveLength(before)
  })

  it('gives up at once when the token is refused, and never streams without one', async () => {
    const rec = recorder('revoked-token')
    const lost = rec.next(isState('lost'))
    handle = connector.stream!(source(), rec.ctx, rec.sink)
    const state = (await lost) as Extract<Seen, { kind: 'state' }>
    expect(state.reason).toMatch(/refused the access token for live updates \(401\)/)
    expect(state.reason).not.toContain('revoked-token')
    expect(server.requests.filter((r) => r.path === '/api/v1/streaming')).toHaveLength(1)
    expect(rec.states()).toEqual(['lost'])

    const none = recorder(null)
    handle = connector.stream!(source(), none.ctx, none.sink)
    expect(none.seen).toEqual([{ kind: 'state', state: 'lost', reason: STREAM_NEEDS_TOKEN }])
  })

  it('ignores a streaming address the instance advertises on another host', async () => {
    server.streamingAdvertised = 'wss://streaming.elsewhere.example'
    const rec = recorder()
    const streaming = rec.next(isState('streaming'))
    handle = connector.stream!(source(), rec.ctx, rec.sink)
    await streaming
    // Connected to the instance itself, token and all.
    expect(server.clients).toHaveLength(1)
  })
})
